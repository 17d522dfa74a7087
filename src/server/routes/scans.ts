/** Scan requests by image reference (analyst): queued, pulled and scanned by a worker. */
import type { FastifyInstance } from 'fastify';
import { parseReference } from '../../registry/index.js';
import type { AppContext } from '../app.js';
import { audit } from '../auth/audit.js';
import { HttpError } from '../errors.js';
import { jobAccepted } from './jobs.js';

export function scanRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/scans',
    {
      config: { access: 'analyst' },
      schema: {
        summary: 'pull and scan an image by reference (queued; GET /api/v1/jobs/{id})',
        description:
          'The server pulls with the stored credentials of the image’s registry host, scans with the pipeline `bulwark image` uses and stores the report as an upload. A scan of the same reference that still waits is not queued twice (409 SCAN_QUEUED).',
        tags: ['scans'],
        body: {
          type: 'object',
          required: ['reference'],
          additionalProperties: false,
          properties: { reference: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
        response: { 202: jobAccepted },
      },
    },
    async (req, reply) => {
      if (!ctx.queue) throw new HttpError(503, 'NO_QUEUE', 'this server runs no job queue');
      const p = req.principal!;
      const { reference } = req.body as { reference: string };
      let canonical: string;
      try {
        const r = parseReference(reference);
        canonical = `${r.domain}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
      } catch (e) {
        throw new HttpError(400, 'INVALID_REFERENCE', (e as Error).message);
      }
      const jobId = await ctx.queue.enqueue(
        'scan',
        { reference, requestedBy: p.userId },
        { singletonKey: `scan:${canonical}` },
      );
      if (!jobId) throw new HttpError(409, 'SCAN_QUEUED', `a scan of ${canonical} is already waiting`);
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'scan.enqueue',
        target: `job:${jobId}`,
        detail: { reference: canonical },
        ip: req.ip,
      });
      return reply.status(202).send({ jobId, state: 'created' });
    },
  );
}
