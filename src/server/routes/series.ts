/**
 * `GET /api/v1/series`: open findings by severity per day, for the portfolio, one repository or
 * one image, from the finding history (finding_state first_seen / fixed_at). A finding is open on
 * a day when it was first seen by the end of that day and not fixed by then.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import { badRequest, notFound } from '../errors.js';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const;

const day = {
  type: 'object',
  required: ['date', 'total', ...SEVERITIES],
  additionalProperties: false,
  properties: {
    date: { type: 'string', description: 'YYYY-MM-DD (UTC); counts are as of the end of that day' },
    total: { type: 'integer' },
    ...Object.fromEntries(SEVERITIES.map((s) => [s, { type: 'integer' }])),
  },
} as const;

const seriesSchema = {
  type: 'object',
  required: ['scope', 'id', 'days'],
  additionalProperties: false,
  properties: {
    scope: { enum: ['portfolio', 'repository', 'image'] },
    id: { type: ['string', 'null'] },
    days: { type: 'array', items: day },
  },
} as const;

export interface SeriesRow {
  severity: string;
  first_seen: string;
  fixed_at: string | null;
}

/** Open findings per day for `days` days ending with the day of `until` (pure: rows in, days out). */
export function openFindingsPerDay(rows: readonly SeriesRow[], until: Date, days: number) {
  const end = Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate());
  const out = [];
  for (let i = days - 1; i >= 0; i--) {
    const start = end - i * 86_400_000;
    const date = new Date(start).toISOString().slice(0, 10);
    const endOfDay = new Date(start + 86_400_000).toISOString();
    const counts: Record<string, number> = Object.fromEntries(SEVERITIES.map((s) => [s, 0]));
    let total = 0;
    for (const r of rows) {
      if (r.first_seen >= endOfDay || (r.fixed_at !== null && r.fixed_at < endOfDay)) continue;
      const sev = (SEVERITIES as readonly string[]).includes(r.severity) ? r.severity : 'UNKNOWN';
      counts[sev]!++;
      total++;
    }
    out.push({ date, total, ...counts });
  }
  return out;
}

export function seriesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/series',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'open findings by severity per day: the portfolio, one repository or one image',
        tags: ['history'],
        querystring: {
          type: 'object',
          required: ['scope'],
          additionalProperties: false,
          properties: {
            scope: { enum: ['portfolio', 'repository', 'image'] },
            id: {
              type: 'string',
              minLength: 1,
              maxLength: 512,
              description: 'the image id (scope=image) or repository name (scope=repository)',
            },
            days: { type: 'integer', minimum: 1, maximum: 366, default: 30 },
          },
        },
        response: { 200: seriesSchema },
      },
    },
    async (req) => {
      const q = req.query as { scope: 'portfolio' | 'repository' | 'image'; id?: string; days: number };
      let query = ctx.store.db
        .selectFrom('finding_state')
        .innerJoin('images', 'images.id', 'finding_state.image_id')
        .select(['finding_state.severity', 'finding_state.first_seen', 'finding_state.fixed_at']);
      if (q.scope !== 'portfolio' && !q.id)
        throw badRequest('INVALID_REQUEST', `scope=${q.scope} needs an id`);
      if (q.scope === 'image') {
        if (!/^[1-9][0-9]{0,9}$/.test(q.id!) || Number(q.id) > 2147483647)
          throw badRequest('INVALID_REQUEST', 'an image id is a positive integer');
        const img = await ctx.store.db
          .selectFrom('images')
          .select('id')
          .where('id', '=', Number(q.id))
          .executeTakeFirst();
        if (!img) throw notFound('image');
        query = query.where('images.id', '=', img.id);
      } else if (q.scope === 'repository') {
        query = query.where('images.repository', '=', q.id!);
      }
      const rows = await query.execute();
      return {
        scope: q.scope,
        id: q.scope === 'portfolio' ? null : q.id!,
        days: openFindingsPerDay(rows, ctx.clock(), q.days),
      };
    },
  );
}
