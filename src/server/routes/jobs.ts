/** The state of a queued job (a re-match, a scan by reference), by the id its request answered. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import { HttpError, notFound } from '../errors.js';
import type { JobInfo } from '../queue/index.js';

export const jobSchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'state',
    'retryCount',
    'retryLimit',
    'startAfter',
    'createdOn',
    'startedOn',
    'completedOn',
    'output',
  ],
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    state: { enum: ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] },
    retryCount: { type: 'integer' },
    retryLimit: { type: 'integer' },
    startAfter: { type: 'string' },
    createdOn: { type: 'string' },
    startedOn: { type: ['string', 'null'] },
    completedOn: { type: ['string', 'null'] },
    output: { description: 'what the job answered when completed; `{message}` of its last error otherwise' },
    progress: {
      type: 'object',
      description: 'a re-match: the state of the batch jobs it was split into',
      required: ['batches', 'completed', 'failed', 'pending', 'changed'],
      additionalProperties: false,
      properties: {
        batches: { type: 'integer' },
        completed: { type: 'integer' },
        failed: { type: 'integer' },
        pending: { type: 'integer' },
        changed: { type: 'integer', description: 'images of completed batches that got a new scan' },
      },
    },
  },
} as const;

export const jobAccepted = {
  type: 'object',
  required: ['jobId', 'state'],
  additionalProperties: false,
  properties: { jobId: { type: 'string', format: 'uuid' }, state: { type: 'string' } },
} as const;

function view(j: JobInfo) {
  return {
    id: j.id,
    name: j.name,
    state: j.state,
    retryCount: j.retryCount,
    retryLimit: j.retryLimit,
    startAfter: j.startAfter,
    createdOn: j.createdOn,
    startedOn: j.startedOn,
    completedOn: j.completedOn,
    output: j.output,
  };
}

export function jobRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/jobs/:id',
    {
      config: { access: 'viewer' },
      schema: {
        summary: 'the state of a queued job',
        tags: ['jobs'],
        params: {
          type: 'object',
          required: ['id'],
          additionalProperties: false,
          properties: { id: { type: 'string', maxLength: 64 } },
        },
        response: { 200: jobSchema },
      },
    },
    async (req) => {
      if (!ctx.queue) throw new HttpError(503, 'NO_QUEUE', 'this server runs no job queue');
      const { id } = req.params as { id: string };
      const j = await ctx.queue.getJob(id.toLowerCase());
      if (!j) throw notFound('job');
      const out: ReturnType<typeof view> & { progress?: object } = view(j);
      const batches = (j.output as { batches?: unknown } | null)?.batches;
      if (j.name === 'rematch' && j.state === 'completed' && Array.isArray(batches)) {
        const p = { batches: batches.length, completed: 0, failed: 0, pending: 0, changed: 0 };
        for (const b of batches) {
          const bj = typeof b === 'string' ? await ctx.queue.getJob(b) : null;
          if (bj?.state === 'completed') {
            p.completed++;
            const imgs = (bj.output as { images?: { scanId: number | null }[] } | null)?.images ?? [];
            p.changed += imgs.filter((i) => i.scanId !== null).length;
          } else if (bj?.state === 'failed' || bj?.state === 'cancelled' || !bj) p.failed++;
          else p.pending++;
        }
        out.progress = p;
      }
      return out;
    },
  );
}
