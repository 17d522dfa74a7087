/**
 * `GET /metrics` (Prometheus text format). Access: viewer (a read-scoped token), not public: the
 * counts say how big the portfolio is and which routes are used, which an anonymous client has no
 * business knowing, and a scraper needs no more than read. Prometheus sends the token with
 * `authorization: { credentials_file: ... }` (docs/server.md).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import type { Metrics } from '../metrics.js';

export function metricsRoutes(app: FastifyInstance, ctx: AppContext, metrics: Metrics): void {
  app.get(
    '/metrics',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'Prometheus metrics (text exposition format 0.0.4)',
        description:
          'Requests by route and status, a latency histogram per route, ingests by kind and outcome, stored images and scans, and the job queue depth when a queue runs. Text, not JSON.',
        tags: ['operations'],
      } as object,
    },
    async (_req, reply) =>
      reply
        .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
        .send(await metrics.render(ctx.store)),
  );
}
