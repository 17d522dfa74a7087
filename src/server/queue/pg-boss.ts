/**
 * The PostgreSQL queue: pg-boss 10 in its own schema (`pgboss`, made and migrated by pg-boss).
 * Every queue is `stately` (one waiting and one active job per singleton key, keyless jobs
 * unlimited), so a schedule that fires during a slow scan does not double it.
 */
import { randomUUID } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';
import type { EnqueueOptions, JobHandler, JobInfo, JobQueue, QueueDefinition, WorkOptions } from './types.js';
import { JOB_ID } from './types.js';

export interface PgBossQueueOptions {
  databaseUrl: string;
  queues: Record<string, QueueDefinition>;
  /** how often an idle worker asks for a job (default 2 s, at least 0.5) */
  pollingIntervalSeconds?: number;
  /** how often expired jobs are looked for (default 60 s) */
  maintenanceIntervalSeconds?: number;
  onError?: (e: Error) => void;
}

export async function openPgBossQueue(opts: PgBossQueueOptions): Promise<JobQueue> {
  const { default: PgBoss } = await import('pg-boss');
  const boss = new PgBoss({
    connectionString: opts.databaseUrl,
    max: 4,
    application_name: 'bulwark-queue',
    schedule: false,
    maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds ?? 60,
  });
  boss.on('error', (e) => opts.onError?.(e));
  try {
    await boss.start();
    for (const [name, def] of Object.entries(opts.queues)) {
      // an existing queue keeps its policy; its retry and expiry defaults follow this process
      if (await boss.getQueue(name)) await boss.updateQueue(name, { name, ...def, policy: 'stately' });
      else
        await boss.createQueue(name, { name, policy: 'stately', ...def }).catch(async (e: unknown) => {
          // another process made it first
          if (!(await boss.getQueue(name))) throw e;
        });
    }
  } catch (e) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw new BulwarkError('DATABASE', `cannot start the job queue: ${(e as Error).message}`, { cause: e });
  }
  const known = (name: string) => {
    if (!opts.queues[name]) throw new BulwarkError('USAGE', `no job queue named ${name}`, { input: name });
  };
  return {
    kind: 'pg-boss',
    async enqueue(name: string, payload: object, o: EnqueueOptions = {}) {
      known(name);
      const def = opts.queues[name]!;
      // a stately queue holds one waiting job per key, and keyless jobs share the key '':
      // a job without a key of its own is keyed by its id, so keyless jobs are unlimited
      const id = randomUUID();
      return boss.send(name, payload, {
        id,
        singletonKey: o.singletonKey ?? id,
        retryLimit: o.retryLimit ?? def.retryLimit,
        retryDelay: o.retryDelay ?? def.retryDelay,
        retryBackoff: o.retryBackoff ?? def.retryBackoff,
        expireInSeconds: o.expireInSeconds ?? def.expireInSeconds,
        ...(o.startAfter !== undefined ? { startAfter: o.startAfter } : {}),
      });
    },
    async work<T>(name: string, handler: JobHandler<T>, w: WorkOptions = {}) {
      known(name);
      // pg-boss 10 runs one job at a time per work() registration: concurrency is that many
      for (let i = 0; i < Math.max(1, w.concurrency ?? 1); i++)
        await boss.work<T>(
          name,
          {
            batchSize: 1,
            includeMetadata: true,
            pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2,
          },
          async ([job]) => {
            if (!job) return undefined;
            return handler({ id: job.id, name: job.name, data: job.data, retryCount: job.retryCount });
          },
        );
    },
    async getJob(id: string): Promise<JobInfo | null> {
      if (!JOB_ID.test(id)) return null;
      for (const name of Object.keys(opts.queues)) {
        const j = await boss.getJobById(name, id, { includeArchive: true });
        if (j)
          return {
            id: j.id,
            name: j.name,
            state: j.state,
            data: j.data,
            // pg-boss keeps an error's stack too; a job's state shows its message only
            output:
              j.state === 'completed' ||
              !j.output ||
              typeof (j.output as { message?: unknown }).message !== 'string'
                ? (j.output ?? null)
                : { message: (j.output as { message: string }).message },
            retryCount: j.retryCount,
            retryLimit: j.retryLimit,
            startAfter: new Date(j.startAfter).toISOString(),
            createdOn: new Date(j.createdOn).toISOString(),
            startedOn: j.startedOn ? new Date(j.startedOn).toISOString() : null,
            completedOn: j.completedOn ? new Date(j.completedOn).toISOString() : null,
          };
      }
      return null;
    },
    async stop(s = {}) {
      await boss.stop({ graceful: s.graceful ?? true, timeout: s.timeoutMs ?? 30_000, wait: true });
    },
  };
}
