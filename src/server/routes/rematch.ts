import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import { audit } from '../auth/audit.js';
import { HttpError } from '../errors.js';
import { rematch } from '../rematch.js';
import { jobAccepted } from './jobs.js';

export function rematchRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/rematch',
    {
      config: { access: 'analyst' },
      schema: {
        summary:
          'match the stored inventories again against the server’s vulnerability database (no pulling)',
        description:
          'Each image’s latest scan is matched again with the CLI’s matcher; an image whose findings changed gets a new scan holding the new outcome. No ignore file or severity filter is applied.',
        tags: ['rematch'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            async: {
              type: 'boolean',
              default: false,
              description:
                'queue it (202 with a job id; GET /api/v1/jobs/{id}) instead of answering the outcome',
            },
          },
        },
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            imageIds: {
              type: 'array',
              maxItems: 10000,
              items: { type: 'integer', minimum: 1, maximum: 2147483647 },
            },
          },
        },
        response: {
          202: jobAccepted,
          200: {
            type: 'object',
            required: ['dbBuiltAt', 'images'],
            additionalProperties: false,
            properties: {
              dbBuiltAt: { type: 'string' },
              images: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['imageId', 'fromScanId', 'scanId', 'new', 'vanished'],
                  additionalProperties: false,
                  properties: {
                    imageId: { type: 'integer' },
                    fromScanId: { type: 'integer' },
                    scanId: { type: ['integer', 'null'] },
                    new: { type: 'array', items: { type: 'string' } },
                    vanished: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      if ((req.query as { async?: boolean }).async) {
        if (!ctx.queue) throw new HttpError(503, 'NO_QUEUE', 'this server runs no job queue');
        const { imageIds } = (req.body ?? {}) as { imageIds?: number[] };
        const jobId = (await ctx.queue.enqueue('rematch', {
          ...(imageIds ? { imageIds } : {}),
          requestedBy: p.username,
        }))!;
        await audit(ctx.store, {
          actorId: p.userId,
          actor: p.username,
          action: 'rematch.enqueue',
          target: `job:${jobId}`,
          detail: { images: imageIds?.length ?? 'all' },
          ip: req.ip,
        });
        return reply.status(202).send({ jobId, state: 'created' });
      }
      if (!ctx.vulnDbPath)
        throw new HttpError(
          503,
          'NO_VULN_DB',
          'this server was started without a vulnerability database (--db)',
        );
      const { imageIds } = (req.body ?? {}) as { imageIds?: number[] };
      let result;
      try {
        result = await rematch(ctx.store, {
          dbPath: ctx.vulnDbPath,
          toolVersion: ctx.version,
          ...(imageIds ? { imageIds } : {}),
          now: ctx.clock(),
        });
      } catch (e) {
        if ((e as { code?: string }).code === 'DATABASE')
          throw new HttpError(503, 'NO_VULN_DB', (e as Error).message);
        throw e;
      }
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'rematch',
        detail: {
          dbBuiltAt: result.dbBuiltAt,
          images: result.images.length,
          changed: result.images.filter((i) => i.scanId !== null).length,
        },
        ip: req.ip,
      });
      return result;
    },
  );
}
