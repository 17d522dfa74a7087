/**
 * The SQLite queue: in-process, one server process, backed by the store's `jobs` table so that
 * accepted work survives a restart. Same semantics as the pg-boss queue: retries with the same
 * backoff, singleton keys held back while a job of that key waits, and a job that was active when
 * the process died is taken again on the next start (counted as a retry, as pg-boss's expiry is).
 */
import { randomUUID } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';
import type { Store } from '../store/open.js';
import type { EnqueueOptions, JobHandler, JobInfo, JobQueue, QueueDefinition, WorkOptions } from './types.js';
import { JOB_ID, retryDelaySeconds } from './types.js';

export interface SqliteQueueOptions {
  store: Store;
  queues: Record<string, QueueDefinition>;
  /** how often an idle queue looks for due jobs (default 500 ms; an enqueue wakes it at once) */
  pollingIntervalMs?: number;
  clock?: () => Date;
  onError?: (e: Error) => void;
}

interface Worker {
  name: string;
  handler: JobHandler<unknown>;
  concurrency: number;
  running: number;
}

const errorOutput = (e: unknown) => ({ message: e instanceof Error ? e.message : String(e) });

export async function openSqliteQueue(opts: SqliteQueueOptions): Promise<JobQueue> {
  const db = opts.store.db;
  const clock = opts.clock ?? (() => new Date());
  const pollMs = opts.pollingIntervalMs ?? 500;
  const workers: Worker[] = [];
  const inflight = new Set<Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  let again = false;

  // the previous process died with these jobs active: take them again, as a retry
  const lost = await db
    .selectFrom('jobs')
    .select(['id', 'retry_count', 'retry_limit'])
    .where('state', '=', 'active')
    .execute();
  for (const j of lost) {
    const now = clock().toISOString();
    await db
      .updateTable('jobs')
      .set(
        j.retry_count < j.retry_limit
          ? {
              state: 'retry',
              retry_count: j.retry_count + 1,
              start_after: now,
              output: JSON.stringify({ message: 'the process running this job stopped' }),
            }
          : {
              state: 'failed',
              completed_on: now,
              output: JSON.stringify({ message: 'the process running this job stopped' }),
            },
      )
      .where('id', '=', j.id)
      .execute();
  }

  const known = (name: string) => {
    if (!opts.queues[name]) throw new BulwarkError('USAGE', `no job queue named ${name}`, { input: name });
  };

  async function finish(id: string, ok: boolean, output: unknown): Promise<void> {
    const now = clock();
    if (ok) {
      await db
        .updateTable('jobs')
        .set({ state: 'completed', completed_on: now.toISOString(), output: JSON.stringify(output ?? null) })
        .where('id', '=', id)
        .execute();
      return;
    }
    const j = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (j.retry_count < j.retry_limit) {
      const delay = retryDelaySeconds(
        { retryDelay: j.retry_delay, retryBackoff: j.retry_backoff === 1 },
        j.retry_count,
      );
      await db
        .updateTable('jobs')
        .set({
          state: 'retry',
          retry_count: j.retry_count + 1,
          start_after: new Date(now.getTime() + delay * 1000).toISOString(),
          output: JSON.stringify(output),
        })
        .where('id', '=', id)
        .execute();
    } else {
      await db
        .updateTable('jobs')
        .set({ state: 'failed', completed_on: now.toISOString(), output: JSON.stringify(output) })
        .where('id', '=', id)
        .execute();
    }
  }

  function run(w: Worker, job: { id: string; name: string; data: string; retry_count: number }): void {
    w.running++;
    const p = (async () => {
      let ok = false;
      let output: unknown;
      try {
        output = await w.handler({
          id: job.id,
          name: job.name,
          data: JSON.parse(job.data),
          retryCount: job.retry_count,
        });
        ok = true;
      } catch (e) {
        output = errorOutput(e);
      }
      try {
        await finish(job.id, ok, output);
      } catch (e) {
        opts.onError?.(e as Error);
      }
    })().finally(() => {
      w.running--;
      inflight.delete(p);
      wake();
    });
    inflight.add(p);
  }

  async function tick(): Promise<void> {
    for (const w of workers) {
      while (!stopped && w.running < w.concurrency) {
        const now = clock().toISOString();
        const next = await db
          .selectFrom('jobs')
          .select(['id', 'name', 'data', 'retry_count'])
          .where('name', '=', w.name)
          .where('state', 'in', ['created', 'retry'])
          .where('start_after', '<=', now)
          .orderBy('created_on')
          .orderBy('seq')
          .limit(1)
          .executeTakeFirst();
        if (!next) break;
        // one process claims: no other claimant can slip in between select and update
        await db
          .updateTable('jobs')
          .set({ state: 'active', started_on: now })
          .where('id', '=', next.id)
          .execute();
        run(w, next);
      }
    }
  }

  function wake(): void {
    if (stopped) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    clearTimeout(timer);
    void tick()
      .catch((e: unknown) => opts.onError?.(e as Error))
      .finally(() => {
        ticking = false;
        if (stopped) return;
        if (again) {
          again = false;
          wake();
        } else timer = setTimeout(wake, pollMs);
      });
  }

  return {
    kind: 'sqlite',
    async enqueue(name: string, payload: object, o: EnqueueOptions = {}) {
      known(name);
      const def = opts.queues[name]!;
      const now = clock();
      const startAfter =
        o.startAfter instanceof Date
          ? o.startAfter
          : typeof o.startAfter === 'number'
            ? new Date(now.getTime() + o.startAfter * 1000)
            : now;
      const row = {
        id: randomUUID(),
        name,
        data: JSON.stringify(payload),
        state: 'created' as const,
        singleton_key: o.singletonKey ?? null,
        retry_limit: o.retryLimit ?? def.retryLimit,
        retry_delay: o.retryDelay ?? def.retryDelay,
        retry_backoff: (o.retryBackoff ?? def.retryBackoff) ? 1 : 0,
        retry_count: 0,
        expire_seconds: o.expireInSeconds ?? def.expireInSeconds,
        start_after: startAfter.toISOString(),
        created_on: now.toISOString(),
        started_on: null,
        completed_on: null,
        output: null,
      };
      // the check and the insert in one transaction, so two enqueues cannot both pass
      const id = await db.transaction().execute(async (tx) => {
        if (o.singletonKey) {
          const waiting = await tx
            .selectFrom('jobs')
            .select('id')
            .where('name', '=', name)
            .where('singleton_key', '=', o.singletonKey)
            .where('state', '=', 'created')
            .executeTakeFirst();
          if (waiting) return null;
        }
        await tx.insertInto('jobs').values(row).execute();
        return row.id;
      });
      if (id) wake();
      return id;
    },
    async work<T>(name: string, handler: JobHandler<T>, w: WorkOptions = {}) {
      known(name);
      workers.push({
        name,
        handler: handler as JobHandler<unknown>,
        concurrency: Math.max(1, w.concurrency ?? 1),
        running: 0,
      });
      wake();
    },
    async getJob(id: string): Promise<JobInfo | null> {
      if (!JOB_ID.test(id)) return null;
      const j = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
      if (!j) return null;
      return {
        id: j.id,
        name: j.name,
        state: j.state,
        data: JSON.parse(j.data),
        output: j.output === null ? null : JSON.parse(j.output),
        retryCount: j.retry_count,
        retryLimit: j.retry_limit,
        startAfter: j.start_after,
        createdOn: j.created_on,
        startedOn: j.started_on,
        completedOn: j.completed_on,
      };
    },
    async stop(s = {}) {
      stopped = true;
      clearTimeout(timer);
      if (s.graceful === false || !inflight.size) return;
      // a job still running at the deadline stays active: the next start takes it again
      await Promise.race([
        Promise.allSettled([...inflight]),
        new Promise((r) => setTimeout(r, s.timeoutMs ?? 30_000).unref()),
      ]);
    },
  };
}
