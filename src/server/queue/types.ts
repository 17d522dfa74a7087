/**
 * The job queue every piece of server work goes through (scans, re-matches): one interface, two
 * implementations with the same semantics. On PostgreSQL it is pg-boss, so any number of
 * `bulwark worker` processes share the work and a job whose worker died is taken again once it
 * expires; on SQLite it is an in-process queue backed by the store's `jobs` table, so accepted
 * work survives a restart of the one server process.
 */

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface EnqueueOptions {
  /**
   * While a job of this name and key is waiting to start (state `created`), another is not
   * enqueued: `enqueue` answers null (pg-boss's `stately` queues; the SQLite queue does the same).
   */
  singletonKey?: string;
  /** not before this time (a Date, or seconds from now) */
  startAfter?: Date | number;
  /** how many times a failed (or expired) job is tried again */
  retryLimit?: number;
  /** seconds before a retry */
  retryDelay?: number;
  /** double the delay with every retry (with jitter, as pg-boss does) */
  retryBackoff?: boolean;
  /** an active job older than this is taken to be lost (its worker died) and retried */
  expireInSeconds?: number;
}

/** The defaults of one queue (a job name): what its jobs get unless enqueue says otherwise. */
export interface QueueDefinition {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  expireInSeconds: number;
}

export interface Job<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** 0 on the first try */
  retryCount: number;
}

export type JobHandler<T = unknown> = (job: Job<T>) => Promise<unknown>;

export interface JobInfo {
  id: string;
  name: string;
  state: JobState;
  data: unknown;
  /** what the handler answered (completed), or `{message}` of its error (retry, failed) */
  output: unknown;
  retryCount: number;
  retryLimit: number;
  /** not taken before this time (a retry's backoff moves it) */
  startAfter: string;
  createdOn: string;
  startedOn: string | null;
  completedOn: string | null;
}

export interface WorkOptions {
  /** jobs of this name run at once in this process (default 1) */
  concurrency?: number;
}

export interface JobQueue {
  readonly kind: 'pg-boss' | 'sqlite';
  /** the job's id, or null when a singleton key held it back */
  enqueue(name: string, payload: object, opts?: EnqueueOptions): Promise<string | null>;
  /** takes jobs of this name until `stop()` */
  work<T>(name: string, handler: JobHandler<T>, opts?: WorkOptions): Promise<void>;
  getJob(id: string): Promise<JobInfo | null>;
  /** stops taking jobs; a graceful stop waits (up to timeoutMs) for the running ones */
  stop(opts?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}

/** pg-boss's backoff: delay × 2^(n+1)/2 × (1 + random), n the retries so far (capped at 16). */
export function retryDelaySeconds(
  def: { retryDelay: number; retryBackoff: boolean },
  retryCount: number,
): number {
  if (!def.retryBackoff) return def.retryDelay;
  const base = (Math.max(def.retryDelay, 1) * 2 ** Math.min(16, retryCount + 1)) / 2;
  return base + base * Math.random();
}

export const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
