/** Scan schedules (analyst): cron per image reference or per registry repository (all or matching tags). */
import type { FastifyInstance } from 'fastify';
import { parseReference } from '../../registry/index.js';
import type { AppContext } from '../app.js';
import { audit } from '../auth/audit.js';
import { HttpError, notFound } from '../errors.js';
import { nextRun, parseCron } from '../jobs/cron.js';
import { tagMatcher } from '../jobs/schedules.js';
import type { ScanSchedulesTable } from '../store/schema.js';
import { idParams } from './schemas.js';

const schedule = {
  type: 'object',
  required: ['id', 'kind', 'reference', 'tags', 'cron', 'nextRunAt', 'lastRunAt', 'createdAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    kind: { enum: ['image', 'repository'] },
    reference: { type: 'string' },
    tags: { type: ['string', 'null'] },
    cron: { type: 'string' },
    nextRunAt: { type: 'string' },
    lastRunAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
} as const;

type Row = Omit<ScanSchedulesTable, 'id'> & { id: number };
const view = (r: Row) => ({
  id: r.id,
  kind: r.kind,
  reference: r.reference,
  tags: r.tags,
  cron: r.cron,
  nextRunAt: r.next_run_at,
  lastRunAt: r.last_run_at,
  createdAt: r.created_at,
});

export function scheduleRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/schedules',
    {
      config: { access: 'analyst' },
      schema: {
        summary: 'scan an image, or the tags of a repository, on a cron schedule (UTC)',
        tags: ['schedules'],
        body: {
          type: 'object',
          required: ['cron'],
          additionalProperties: false,
          properties: {
            image: { type: 'string', minLength: 1, maxLength: 1024 },
            repository: { type: 'string', minLength: 1, maxLength: 1024, description: '`host/path`, no tag' },
            tags: {
              type: 'string',
              minLength: 1,
              maxLength: 128,
              description: 'repository schedules: "all" (default), a glob (`v1.*`) or `/regex/`',
            },
            cron: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
              description: '5 fields, or 6 with seconds first',
            },
          },
          oneOf: [{ required: ['image'] }, { required: ['repository'] }],
        },
        response: { 201: schedule },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body as { image?: string; repository?: string; tags?: string; cron: string };
      try {
        parseCron(b.cron);
      } catch (e) {
        throw new HttpError(400, 'INVALID_CRON', (e as Error).message);
      }
      let reference: string;
      try {
        const r = parseReference((b.image ?? b.repository)!);
        if (
          // the reference parser adds `latest` to a bare name: look at what was written
          b.repository &&
          /[:@]/.test(b.repository.split('/').slice(1).join('/'))
        )
          throw new Error('a repository schedule names no tag or digest (use tags)');
        reference = b.image ?? `${r.domain}/${r.repository}`;
      } catch (e) {
        throw new HttpError(400, 'INVALID_REFERENCE', (e as Error).message);
      }
      if (b.image && b.tags)
        throw new HttpError(400, 'INVALID_REQUEST', 'tags go with a repository schedule');
      const tags = b.repository ? (b.tags ?? 'all') : null;
      if (tags)
        try {
          tagMatcher(tags);
        } catch (e) {
          throw new HttpError(400, 'INVALID_TAG_PATTERN', (e as Error).message);
        }
      const now = ctx.clock();
      const row = await ctx.store.db
        .insertInto('scan_schedules')
        .values({
          kind: b.image ? 'image' : 'repository',
          reference,
          tags,
          cron: b.cron,
          next_run_at: nextRun(b.cron, now).toISOString(),
          last_run_at: null,
          created_at: now.toISOString(),
          created_by: p.userId,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'schedule.create',
        target: `schedule:${row.id}`,
        detail: { reference, tags, cron: b.cron },
        ip: req.ip,
      });
      return reply.status(201).send(view(row));
    },
  );

  app.get(
    '/api/v1/schedules',
    {
      config: { access: 'analyst' },
      schema: {
        summary: 'scan schedules',
        tags: ['schedules'],
        response: {
          200: {
            type: 'object',
            required: ['schedules'],
            additionalProperties: false,
            properties: { schedules: { type: 'array', items: schedule } },
          },
        },
      },
    },
    async () => ({
      schedules: (await ctx.store.db.selectFrom('scan_schedules').selectAll().orderBy('id').execute()).map(
        view,
      ),
    }),
  );

  app.delete(
    '/api/v1/schedules/:id',
    {
      config: { access: 'analyst' },
      schema: {
        summary: 'delete a scan schedule',
        tags: ['schedules'],
        params: idParams,
        response: { 200: schedule },
      },
    },
    async (req) => {
      const p = req.principal!;
      const { id } = req.params as { id: number };
      const row = await ctx.store.db
        .selectFrom('scan_schedules')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) throw notFound('schedule');
      await ctx.store.db.deleteFrom('scan_schedules').where('id', '=', id).execute();
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'schedule.delete',
        target: `schedule:${id}`,
        detail: { reference: row.reference },
        ip: req.ip,
      });
      return view(row);
    },
  );
}
