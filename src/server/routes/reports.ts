import type { FastifyInstance } from 'fastify';
import reportSchema from '../../report/schema/report.schema.json' with { type: 'json' };
import type { JsonReport } from '../../report/index.js';
import type { AppContext } from '../app.js';
import { audit } from '../auth/audit.js';
import { asComponent } from '../openapi.js';
import { ingestReport } from '../store/ingest.js';

/** The report schema as fastify validates a body with it: no `$schema`/`$id`, refs kept local. */
const bodySchema = (() => {
  const s = structuredClone(reportSchema) as Record<string, unknown>;
  delete s.$schema;
  delete s.$id;
  return s;
})();

/** What an ingest answers (the report and SBOM uploads alike). */
export const ingestResult = {
  type: 'object',
  required: ['imageId', 'scanId', 'duplicate', 'newLayers', 'findings', 'opened', 'fixed', 'reopened'],
  additionalProperties: false,
  properties: {
    imageId: { type: 'integer' },
    scanId: { type: 'integer' },
    duplicate: { type: 'boolean' },
    newLayers: { type: 'integer' },
    findings: { type: 'integer' },
    opened: { type: 'integer' },
    fixed: { type: 'integer' },
    reopened: { type: 'integer' },
  },
} as const;

export function reportRoutes(app: FastifyInstance, ctx: AppContext): void {
  ctx.openapi.name(bodySchema, { name: 'ScanReport', schema: asComponent(reportSchema, 'ScanReport') });
  app.post(
    '/api/v1/reports',
    {
      config: { access: 'analyst' },
      bodyLimit: ctx.maxReportBytes,
      schema: {
        summary: 'upload a bulwark image scan report (`bulwark image --format json`)',
        description:
          'Stores the image, its layers (once per diffID), the scan and its findings, and moves the finding history. 201 when stored, 200 when this very report was stored before.',
        tags: ['ingest'],
        body: bodySchema,
        response: { 200: ingestResult, 201: ingestResult },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const result = await ingestReport(ctx.store, req.body as JsonReport, {
        uploadedBy: p.userId,
        now: ctx.clock(),
      });
      if (!result.duplicate)
        await audit(ctx.store, {
          actorId: p.userId,
          actor: p.username,
          action: 'report.ingest',
          target: `scan:${result.scanId}`,
          detail: { imageId: result.imageId, findings: result.findings, via: p.via },
          ip: req.ip,
        });
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  );
}
