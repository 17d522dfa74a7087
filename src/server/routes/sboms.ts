/**
 * `POST /api/v1/sboms`: a CycloneDX or SPDX JSON SBOM, matched on the server and stored as a scan
 * of the image it describes (src/server/sbom-ingest.ts). Registered in a scope of its own, since
 * the body is read as text in its own media types rather than by the JSON parser every other
 * route uses.
 */
import type { FastifyInstance } from 'fastify';
import { BulwarkError } from '../../core/errors.js';
import type { AppContext } from '../app.js';
import { audit } from '../auth/audit.js';
import { HttpError } from '../errors.js';
import { ingestSbom } from '../sbom-ingest.js';
import { ingestResult } from './reports.js';

export const SBOM_MEDIA_TYPES = [
  'application/vnd.cyclonedx+json',
  'application/spdx+json',
  'application/json',
];

/** What a report upload answers (the same ingest), plus what the SBOM reader made of the document. */
const sbomResult = {
  ...ingestResult,
  required: [...ingestResult.required, 'format', 'packages', 'skipped'],
  properties: {
    ...ingestResult.properties,
    format: { enum: ['cyclonedx', 'spdx'] },
    packages: { type: 'integer', description: 'components read as packages' },
    skipped: {
      type: 'integer',
      description: 'components skipped (no purl, unknown ecosystem, a path as name)',
    },
  },
} as const;

export async function sbomRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // in this scope only: the document as text, so the SBOM reader sees exactly what was sent
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    SBOM_MEDIA_TYPES,
    { parseAs: 'string', bodyLimit: ctx.maxReportBytes },
    (_req, body, done) => done(null, body),
  );
  // every other media type (text/plain has a parser of fastify's own) is a 415
  app.addHook('preValidation', async (req) => {
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (!SBOM_MEDIA_TYPES.includes(type))
      throw new HttpError(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `an SBOM is sent as ${SBOM_MEDIA_TYPES.join(', ')}; got ${type || 'none'}`,
      );
  });
  app.post(
    '/api/v1/sboms',
    {
      config: { access: 'analyst' },
      bodyLimit: ctx.maxReportBytes,
      schema: {
        summary:
          'upload a CycloneDX (1.4–1.6) or SPDX 2.3 JSON SBOM: matched on the server, stored as a scan',
        description:
          'The body is the SBOM document as application/vnd.cyclonedx+json, application/spdx+json or application/json. ' +
          "Its components are matched against the server's vulnerability database and stored as a scan of the image " +
          'the SBOM describes (CycloneDX metadata.component, SPDX described package), or of `image` when given. ' +
          '201 when stored, 200 when this very outcome was stored before.',
        tags: ['ingest'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            image: {
              type: 'string',
              minLength: 1,
              maxLength: 512,
              description: 'store as a scan of this image reference instead of the SBOM subject',
            },
          },
        },
        response: { 200: sbomResult, 201: sbomResult },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      if (!ctx.vulnDbPath)
        throw new HttpError(
          503,
          'NO_VULN_DB',
          'the server has no vulnerability database to match SBOMs against',
        );
      const text = req.body;
      if (typeof text !== 'string' || !text.trim())
        throw new HttpError(400, 'INVALID_SBOM', 'the body is no SBOM document');
      const { image } = req.query as { image?: string };
      let result;
      try {
        result = await ingestSbom(ctx.store, text, {
          input: image ?? 'uploaded SBOM',
          dbPath: ctx.vulnDbPath,
          toolVersion: ctx.version,
          uploadedBy: p.userId,
          now: ctx.clock(),
          ...(image ? { image } : {}),
        });
      } catch (e) {
        if (e instanceof BulwarkError && e.code === 'DATABASE')
          throw new HttpError(503, 'NO_VULN_DB', e.message);
        if (
          e instanceof BulwarkError &&
          ['MALFORMED_INPUT', 'LIMIT_EXCEEDED', 'PATH_TRAVERSAL'].includes(e.code)
        )
          throw new HttpError(400, 'INVALID_SBOM', e.message, { reason: e.code });
        throw e;
      }
      if (!result.duplicate)
        await audit(ctx.store, {
          actorId: p.userId,
          actor: p.username,
          action: 'sbom.ingest',
          target: `scan:${result.scanId}`,
          detail: { imageId: result.imageId, format: result.format, findings: result.findings, via: p.via },
          ip: req.ip,
        });
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );
}
