/** The job queue: pg-boss on PostgreSQL, the in-process `jobs` table on SQLite (see types.ts). */
import type { Store } from '../store/open.js';
import { openPgBossQueue } from './pg-boss.js';
import { openSqliteQueue } from './sqlite.js';
import type { JobQueue, QueueDefinition } from './types.js';

export type {
  EnqueueOptions,
  Job,
  JobHandler,
  JobInfo,
  JobQueue,
  JobState,
  QueueDefinition,
} from './types.js';
export { retryDelaySeconds } from './types.js';

export interface OpenQueueOptions {
  store: Store;
  /** PostgreSQL: the store's URL (pg-boss opens its own pool on it) */
  databaseUrl?: string;
  queues: Record<string, QueueDefinition>;
  /** idle polling: pg-boss's interval (at least 0.5 s), the SQLite queue's */
  pollingIntervalSeconds?: number;
  /** PostgreSQL: how often expired jobs (their worker died) are looked for */
  maintenanceIntervalSeconds?: number;
  clock?: () => Date;
  onError?: (e: Error) => void;
}

export async function openQueue(opts: OpenQueueOptions): Promise<JobQueue> {
  if (opts.store.dialect === 'postgres') {
    if (!opts.databaseUrl) throw new Error('the PostgreSQL queue needs the database URL');
    return openPgBossQueue({
      databaseUrl: opts.databaseUrl,
      queues: opts.queues,
      ...(opts.pollingIntervalSeconds ? { pollingIntervalSeconds: opts.pollingIntervalSeconds } : {}),
      ...(opts.maintenanceIntervalSeconds
        ? { maintenanceIntervalSeconds: opts.maintenanceIntervalSeconds }
        : {}),
      ...(opts.onError ? { onError: opts.onError } : {}),
    });
  }
  return openSqliteQueue({
    store: opts.store,
    queues: opts.queues,
    ...(opts.pollingIntervalSeconds ? { pollingIntervalMs: opts.pollingIntervalSeconds * 1000 } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
  });
}
