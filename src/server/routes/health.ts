import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';

const status = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status: { type: 'string' } },
} as const;

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: { summary: 'the process is up', tags: ['health'], response: { 200: status } },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: { summary: 'the store answers', tags: ['health'], response: { 200: status, 503: status } },
    },
    async (_req, reply) =>
      (await ctx.store.ping())
        ? { status: 'ready' }
        : reply.status(503).send({ status: 'store unavailable' }),
  );
}
