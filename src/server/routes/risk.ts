/**
 * Risk, explained, per image; the portfolio ranked by risk; patch plans with the base-image bump.
 * All of it is the plan engine's (src/plan), the same the CLI's `bulwark plan` runs: this module
 * only finds the stored scans it needs (the image's latest, the images sharing its bottom layers,
 * the other tags of its base repository).
 *
 * Triage: risk counts open findings only. The predicate that says which are open comes from
 * `openFilter` (the triage store wires it); without one every stored finding is open.
 */
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { normalizePackageName } from '../../ecosystems/index.js';
import {
  baseBump,
  databaseOracle,
  decideBase,
  imageRisk,
  NO_BASE,
  patchPlan,
  planDocument,
  type BaseEvidence,
  type BumpCandidate,
  type IsOpen,
  type PlanFinding,
  type PlanInput,
} from '../../plan/index.js';
import planSchema from '../../report/schema/plan.schema.json' with { type: 'json' };
import { openVulnDb } from '../../vulndb/index.js';
import type { AppContext } from '../app.js';
import { notFound } from '../errors.js';
import { asComponent } from '../openapi.js';
import type { Store } from '../store/open.js';
import {
  latestScans,
  prefixCandidates,
  scanPlanInput,
  scanRiskFindings,
  type LatestScan,
  type LayeredScan,
} from '../store/risk.js';
import { idParams } from './schemas.js';

export interface RiskRouteOptions {
  /** which findings of an image are open (triage: not_affected, fixed, accepted are not) */
  openFilter?: (store: Store, imageId: number) => Promise<IsOpen>;
}

const planResponse = (() => {
  const s = structuredClone(planSchema) as Record<string, unknown>;
  delete s.$schema;
  delete s.$id;
  return s;
})();
const def = (name: string) => ({ $ref: `#/components/schemas/PlanDocument/definitions/${name}` });

const riskResponse = {
  type: 'object',
  required: ['imageId', 'repository', 'tag', 'scanId', 'scannedAt', 'risk'],
  additionalProperties: false,
  properties: {
    imageId: { type: 'integer' },
    repository: { type: 'string' },
    tag: { type: 'string' },
    scanId: { type: 'integer' },
    scannedAt: { type: 'string' },
    risk: def('risk'),
  },
} as const;

const portfolioItem = {
  type: 'object',
  required: [
    'imageId',
    'repository',
    'tag',
    'digest',
    'scanId',
    'scannedAt',
    'probability',
    'findings',
    'kev',
    'withEpss',
    'top',
  ],
  additionalProperties: false,
  properties: {
    imageId: { type: 'integer' },
    repository: { type: 'string' },
    tag: { type: 'string' },
    digest: { type: ['string', 'null'] },
    scanId: { type: 'integer' },
    scannedAt: { type: 'string' },
    probability: { type: 'number', minimum: 0, maximum: 1 },
    findings: { type: 'integer' },
    kev: { type: 'integer' },
    withEpss: { type: 'integer' },
    top: { oneOf: [{ type: 'null' }, def('contributor')] },
  },
} as const;

const portfolioResponse = {
  type: 'object',
  required: ['total', 'images', 'skipped'],
  additionalProperties: false,
  properties: {
    total: { type: 'integer' },
    images: { type: 'array', items: portfolioItem },
    skipped: {
      type: 'array',
      items: {
        type: 'object',
        required: ['imageId', 'scanId', 'code', 'message'],
        additionalProperties: false,
        properties: {
          imageId: { type: 'integer' },
          scanId: { type: 'integer' },
          code: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

/** `11.7` < `11.10` < `12`; undefined when either tag is no version (`latest`, `bookworm`). */
export function compareTags(a: string, b: string): number | undefined {
  const re = /^v?(\d+(?:\.\d+)*)/;
  const ma = re.exec(a);
  const mb = re.exec(b);
  if (!ma || !mb) return undefined;
  const pa = ma[1]!.split('.').map(Number);
  const pb = mb[1]!.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d) return Math.sign(d);
  }
  return 0;
}

interface ImageView {
  latest: LatestScan;
  input: PlanInput;
  base: BaseEvidence;
  /** the stored scan that is the base itself, when one is */
  baseScan: LayeredScan | null;
  isOpen: IsOpen | undefined;
}

export function riskRoutes(app: FastifyInstance, ctx: AppContext, opts: RiskRouteOptions = {}): void {
  const { store } = ctx;
  ctx.openapi.name(planResponse, { name: 'PlanDocument', schema: asComponent(planSchema, 'PlanDocument') });

  async function view(imageId: number): Promise<ImageView> {
    const [latest] = await latestScans(store, { imageId });
    if (!latest) {
      const exists = await store.db
        .selectFrom('images')
        .select('id')
        .where('id', '=', imageId)
        .executeTakeFirst();
      throw notFound(exists ? 'scan of this image' : 'image');
    }
    const input = (await scanPlanInput(store, latest.scanId))!;
    const diffIds = input.layers.map((l) => l.diffId);
    let base = NO_BASE;
    let baseScan: LayeredScan | null = null;
    if (diffIds.length) {
      const cands = await prefixCandidates(store, diffIds[0]!, latest.repository);
      base = decideBase(
        { diffIds, repository: latest.repository },
        cands.map((c) => ({
          name: `${c.repository}:${c.tag}`,
          repository: c.repository,
          digest: c.digest,
          diffIds: c.diffIds,
        })),
      );
      baseScan =
        cands.find(
          (c) => `${c.repository}:${c.tag}` === base.baseName && c.diffIds.length === base.baseLayers,
        ) ?? null;
    }
    const isOpen = opts.openFilter ? await opts.openFilter(store, imageId) : undefined;
    return { latest, input, base, baseScan, isOpen };
  }

  async function bump(v: ImageView) {
    if (!v.baseScan) return null;
    const b = v.baseScan;
    const tags = await latestScans(store, { exactRepository: b.repository });
    const candidates: BumpCandidate[] = [];
    for (const t of tags) {
      if (t.scanId === b.scanId) continue; // the base as the image has it: no change
      const order = compareTags(t.tag, b.tag);
      // an older version tag is no bump; the same tag rebuilt later is one
      if (order !== undefined && (order < 0 || (order === 0 && t.tag !== b.tag))) continue;
      if (t.tag === b.tag && t.scannedAt <= b.scannedAt) continue;
      const input = await scanPlanInput(store, t.scanId);
      if (!input) continue;
      candidates.push({
        name: `${t.repository}:${t.tag}`,
        imageId: t.imageId,
        scanId: t.scanId,
        digest: t.digest,
        scannedAt: t.scannedAt,
        findings: input.findings,
      });
    }
    return baseBump(v.input, v.base, candidates, v.isOpen);
  }

  app.get(
    '/api/v1/images/:id/risk',
    {
      config: { access: 'viewer' },
      schema: {
        summary:
          'risk, explained: the probability that an open finding of the latest scan is exploited, and what contributes',
        description:
          'P = 1 − Π(1 − pᵢ), pᵢ the EPSS score, 1 for CISA KEV entries; contributors ordered by how much each removes, with CVSS, EPSS, KEV, fix and base-image versus own layer. See docs/risk.md.',
        tags: ['risk'],
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { top: { type: 'integer', minimum: 1, maximum: 1000, default: 10 } },
        },
        response: { 200: riskResponse },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const { top } = req.query as { top: number };
      const v = await view(id);
      return {
        imageId: id,
        repository: v.latest.repository,
        tag: v.latest.tag,
        scanId: v.latest.scanId,
        scannedAt: v.latest.scannedAt,
        risk: imageRisk(v.input.findings, {
          layers: v.input.layers,
          base: v.base,
          top,
          ...(v.isOpen ? { isOpen: v.isOpen } : {}),
        }),
      };
    },
  );

  app.get(
    '/api/v1/images/:id/plan',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'the patch plan of the latest scan (as `bulwark plan` makes it) and the base-image bump',
        description:
          "Per package the minimal version fixing all its findings, ranked by risk removed, with the command for its ecosystem; checked against the server's vulnerability database when it has one. The base-image bump is the stored tag of the base repository that removes the most risk.",
        tags: ['risk'],
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { top: { type: 'integer', minimum: 1, maximum: 1000, default: 10 } },
        },
        response: { 200: planResponse },
      },
    },
    async (req) => {
      const { id } = req.params as { id: number };
      const { top } = req.query as { top: number };
      const v = await view(id);
      const isOpen = v.isOpen ? { isOpen: v.isOpen } : {};
      const risk = imageRisk(v.input.findings, { layers: v.input.layers, base: v.base, top, ...isOpen });
      const baseImage = await bump(v);
      const dbPath = ctx.vulnDbPath && existsSync(ctx.vulnDbPath) ? ctx.vulnDbPath : undefined;
      const db = dbPath ? openVulnDb(dbPath, { normalizeName: normalizePackageName }) : undefined;
      try {
        const plan = patchPlan(v.input, {
          base: v.base,
          ...isOpen,
          ...(db ? { oracle: databaseOracle(db, v.input.os) } : {}),
        });
        return planDocument(v.input, risk, plan, {
          toolVersion: ctx.version,
          dbBuiltAt: db ? db.metadata().builtAt : null,
          baseImage,
        });
      } finally {
        db?.close();
      }
    },
  );

  app.get(
    '/api/v1/risk',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'the portfolio ranked by risk: every image by the exploit probability of its latest scan',
        tags: ['risk'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            repository: { type: 'string', maxLength: 512, description: 'substring of the repository' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            offset: { type: 'integer', minimum: 0, maximum: 2147483647, default: 0 },
          },
        },
        response: { 200: portfolioResponse },
      },
    },
    async (req) => {
      const q = req.query as { repository?: string; limit: number; offset: number };
      const scans = await latestScans(store, q.repository ? { repository: q.repository } : {});
      const ranked = [];
      const skipped = [];
      for (const s of scans) {
        let findings: PlanFinding[] | undefined;
        try {
          findings = await scanRiskFindings(store, s.scanId);
        } catch (e) {
          // one unreadable stored report degrades that image only
          const err = e as { code?: string; message?: string };
          skipped.push({
            imageId: s.imageId,
            scanId: s.scanId,
            code: err.code ?? 'MALFORMED_INPUT',
            message: err.message ?? 'unreadable',
          });
          continue;
        }
        if (!findings) continue;
        const isOpen = opts.openFilter ? await opts.openFilter(store, s.imageId) : undefined;
        const r = imageRisk(findings, { top: 1, ...(isOpen ? { isOpen } : {}) });
        ranked.push({
          imageId: s.imageId,
          repository: s.repository,
          tag: s.tag,
          digest: s.digest,
          scanId: s.scanId,
          scannedAt: s.scannedAt,
          probability: r.probability,
          findings: r.findings,
          kev: r.kev,
          withEpss: r.withEpss,
          top: r.contributors[0] ?? null,
        });
      }
      ranked.sort(
        (a, b) =>
          b.probability - a.probability ||
          b.kev - a.kev ||
          b.findings - a.findings ||
          (a.repository < b.repository ? -1 : a.repository > b.repository ? 1 : 0) ||
          (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0),
      );
      return { total: ranked.length, images: ranked.slice(q.offset, q.offset + q.limit), skipped };
    },
  );
}
