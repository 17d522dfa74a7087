import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import { badRequest } from '../errors.js';
import { EVENT_TYPES } from '../notify/filter.js';
import { eventSchema, listEvents } from '../store/events.js';

export function eventRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/events',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'events, oldest first: new and vanished vulnerabilities, completed scans, fixed findings',
        description:
          'Append-only. `since` (ISO 8601) keeps the events at or after that time; `afterId` pages on from the last event seen.',
        tags: ['events'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            since: { type: 'string', maxLength: 40 },
            type: { enum: [...EVENT_TYPES] },
            afterId: { type: 'integer', minimum: 0, maximum: 2147483647 },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['events'],
            additionalProperties: false,
            properties: { events: { type: 'array', items: eventSchema } },
          },
        },
      },
    },
    async (req) => {
      const q = req.query as { since?: string; type?: string; afterId?: number; limit: number };
      let since: string | undefined;
      if (q.since !== undefined) {
        const t = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(q.since)
          ? Date.parse(q.since)
          : NaN;
        if (Number.isNaN(t))
          throw badRequest('INVALID_REQUEST', '`since` takes an ISO 8601 time (2026-12-01T12:00:00Z)');
        since = new Date(t).toISOString();
      }
      return {
        events: await listEvents(ctx.store, {
          limit: q.limit,
          ...(since ? { since } : {}),
          ...(q.type ? { type: q.type } : {}),
          ...(q.afterId ? { afterId: q.afterId } : {}),
        }),
      };
    },
  );
}
