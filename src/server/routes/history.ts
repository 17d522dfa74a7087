import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import { badRequest, notFound } from '../errors.js';
import {
  diffScans,
  findingStates,
  getImage,
  getScan,
  listImages,
  listScans,
  scanImageId,
} from '../store/queries.js';
import { idParams, nullableString, paging } from './schemas.js';
import { findingTriage, findingTriageSchema, triageQuery } from './triage-findings.js';

const image = {
  type: 'object',
  required: [
    'id',
    'repository',
    'tag',
    'digest',
    'createdAt',
    'updatedAt',
    'scans',
    'lastScanId',
    'lastScannedAt',
    'openFindings',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    repository: { type: 'string' },
    tag: { type: 'string' },
    digest: nullableString,
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    scans: { type: 'integer' },
    lastScanId: { type: ['integer', 'null'] },
    lastScannedAt: nullableString,
    openFindings: { type: 'integer' },
  },
} as const;

const scan = {
  type: 'object',
  required: ['id', 'imageId', 'digest', 'scannedAt', 'receivedAt', 'dbVersion', 'toolVersion', 'findings'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    imageId: { type: 'integer' },
    digest: nullableString,
    scannedAt: { type: 'string' },
    receivedAt: { type: 'string' },
    dbVersion: nullableString,
    toolVersion: { type: 'string' },
    findings: { type: 'integer' },
  },
} as const;

const diffFinding = {
  type: 'object',
  required: [
    'vulnId',
    'packageKey',
    'packageName',
    'packageVersion',
    'ecosystem',
    'severity',
    'fixedVersion',
  ],
  additionalProperties: false,
  properties: {
    vulnId: { type: 'string' },
    packageKey: { type: 'string' },
    packageName: { type: 'string' },
    packageVersion: { type: 'string' },
    ecosystem: { type: 'string' },
    severity: { type: 'string' },
    fixedVersion: nullableString,
  },
} as const;

const findingState = {
  type: 'object',
  required: [
    'vulnId',
    'packageKey',
    'severity',
    'firstSeen',
    'lastSeen',
    'fixedAt',
    'firstScanId',
    'lastScanId',
  ],
  additionalProperties: false,
  properties: {
    vulnId: { type: 'string' },
    packageKey: { type: 'string' },
    severity: { type: 'string' },
    firstSeen: { type: 'string' },
    lastSeen: { type: 'string' },
    fixedAt: nullableString,
    firstScanId: { type: 'integer' },
    lastScanId: { type: 'integer' },
    triage: findingTriageSchema,
  },
} as const;

const list = (items: object, key: string) =>
  ({
    type: 'object',
    required: [key],
    additionalProperties: false,
    properties: { [key]: { type: 'array', items } },
  }) as const;

export function historyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { store } = ctx;
  app.get(
    '/api/v1/images',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'tracked images (repository and tag), with their latest scan and open findings',
        tags: ['history'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            repository: { type: 'string', maxLength: 512, description: 'substring of the repository' },
            tag: { type: 'string', maxLength: 256 },
            digest: { type: 'string', maxLength: 256 },
            ...paging,
          },
        },
        response: { 200: list(image, 'images') },
      },
    },
    async (req) => {
      const q = req.query as {
        repository?: string;
        tag?: string;
        digest?: string;
        limit: number;
        offset: number;
      };
      return { images: await listImages(store, q) };
    },
  );

  app.get(
    '/api/v1/images/:id',
    {
      config: { access: 'viewer' },
      schema: { summary: 'one tracked image', tags: ['history'], params: idParams, response: { 200: image } },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const [row] = await listImages(store, { id });
      if (!row) throw notFound('image');
      return row;
    },
  );

  app.get(
    '/api/v1/images/:id/scans',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'the scans of an image, newest first',
        tags: ['history'],
        params: idParams,
        querystring: { type: 'object', additionalProperties: false, properties: { ...paging } },
        response: { 200: list(scan, 'scans') },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      if (!(await getImage(store, id))) throw notFound('image');
      return { scans: await listScans(store, id, req.query as { limit: number; offset: number }) };
    },
  );

  app.get(
    '/api/v1/images/:id/findings',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'finding history of an image: first seen, last seen, fixed at',
        tags: ['history'],
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { state: { enum: ['open', 'fixed', 'all'], default: 'open' }, ...triageQuery },
        },
        response: { 200: list(findingState, 'findings') },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const { state } = req.query as { state: 'open' | 'fixed' | 'all' };
      if (!(await getImage(store, id))) throw notFound('image');
      const tri = await findingTriage(store, id, ctx.clock());
      const rows = (await findingStates(store, id))
        .filter((r) =>
          state === 'all' ? true : state === 'open' ? r.fixed_at === null : r.fixed_at !== null,
        )
        .filter((r) => tri.matches(r, (req.query as { triage: 'all' }).triage));
      return {
        findings: rows.map((r) => ({
          vulnId: r.vuln_id,
          packageKey: r.package_key,
          severity: r.severity,
          firstSeen: r.first_seen,
          lastSeen: r.last_seen,
          fixedAt: r.fixed_at,
          firstScanId: r.first_scan_id,
          lastScanId: r.last_scan_id,
          triage: tri.view(r),
        })),
      };
    },
  );

  app.get(
    '/api/v1/scans/:id',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'one stored scan with its report as uploaded',
        tags: ['history'],
        params: idParams,
        response: {
          200: {
            type: 'object',
            required: ['scan', 'report'],
            additionalProperties: false,
            properties: { scan, report: { $ref: '#/components/schemas/ScanReport' } },
          },
        },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const row = await getScan(store, id);
      if (!row) throw notFound('scan');
      const { report, ...meta } = row;
      return { scan: meta, report };
    },
  );

  app.get(
    '/api/v1/images/:id/diff',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'findings new, fixed and unchanged between two scans of an image',
        description: 'Default: `to` the latest scan, `from` the one before it (none: everything is new).',
        tags: ['history'],
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'integer', minimum: 1, maximum: 2147483647 },
            to: { type: 'integer', minimum: 1, maximum: 2147483647 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['imageId', 'from', 'to', 'new', 'fixed', 'unchanged'],
            additionalProperties: false,
            properties: {
              imageId: { type: 'integer' },
              from: { type: ['integer', 'null'] },
              to: { type: 'integer' },
              new: { type: 'array', items: diffFinding },
              fixed: { type: 'array', items: diffFinding },
              unchanged: { type: 'array', items: diffFinding },
            },
          },
        },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const q = req.query as { from?: number; to?: number };
      if (!(await getImage(store, id))) throw notFound('image');
      for (const s of [q.from, q.to])
        if (s !== undefined && (await scanImageId(store, s)) !== id)
          throw badRequest('SCAN_NOT_OF_IMAGE', `scan ${s} is not a scan of image ${id}`);
      let { from, to } = q;
      if (to === undefined || from === undefined) {
        const scans = await listScans(store, id, { limit: 1000 });
        if (!scans.length) throw notFound('scan of this image');
        to ??= scans[0]!.id;
        if (from === undefined) {
          const at = scans.findIndex((s) => s.id === to);
          from = scans[at + 1]?.id;
        }
      }
      if (from === undefined) {
        const all = await diffScans(store, to, to);
        return { imageId: id, from: null, to, new: all.unchanged, fixed: [], unchanged: [] };
      }
      const d = await diffScans(store, from, to);
      return { imageId: id, ...d };
    },
  );
}
