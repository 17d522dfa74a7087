/**
 * Working the server's jobs: the same handlers in `bulwark server` (unless `--no-worker`) and in
 * `bulwark worker`. Each handler calls the CLI's engines through the server's own modules
 * (re-match: src/server/rematch.ts); none is re-implemented here.
 */
import { BulwarkError } from '../../core/errors.js';
import type { Job, JobQueue } from '../queue/index.js';
import type { SecretBox } from '../crypto/sealed.js';
import { rematch } from '../rematch.js';
import { runScanJob, type ScanJobData } from './scan.js';
import type { Store } from '../store/open.js';
import {
  REMATCH_BATCH_SIZE,
  type RematchBatchData,
  type RematchBatchOutput,
  type RematchJobData,
  type RematchJobOutput,
} from './definitions.js';

export interface JobLogEntry {
  event: 'started' | 'completed' | 'failed';
  job: string;
  name: string;
  retryCount: number;
  ms?: number;
  error?: string;
}

export interface WorkerContext {
  store: Store;
  queue: JobQueue;
  /** the vulnerability database re-matches use */
  vulnDbPath?: string;
  toolVersion: string;
  /** jobs of each kind at once in this process */
  concurrency?: number;
  batchSize?: number;
  /** scans by reference: the layer cache and pull temporaries; no scans without it */
  cacheDir?: string;
  /** opens stored registry credentials */
  secretBox?: SecretBox;
  /** extra job kinds (scan, added by the scan module) */
  handlers?: Record<string, (job: Job<never>) => Promise<unknown>>;
  log?: (e: JobLogEntry) => void;
  clock?: () => Date;
}

function logged<T>(ctx: WorkerContext, fn: (job: Job<T>) => Promise<unknown>) {
  return async (job: Job<T>) => {
    const t0 = Date.now();
    ctx.log?.({ event: 'started', job: job.id, name: job.name, retryCount: job.retryCount });
    try {
      const out = await fn(job);
      ctx.log?.({
        event: 'completed',
        job: job.id,
        name: job.name,
        retryCount: job.retryCount,
        ms: Date.now() - t0,
      });
      return out;
    } catch (e) {
      ctx.log?.({
        event: 'failed',
        job: job.id,
        name: job.name,
        retryCount: job.retryCount,
        ms: Date.now() - t0,
        error: (e as Error).message,
      });
      throw e;
    }
  };
}

/** Splits the images to re-match into batch jobs; answers their ids. */
export async function planRematch(ctx: WorkerContext, job: Job<RematchJobData>): Promise<RematchJobOutput> {
  let q = ctx.store.db.selectFrom('images').select('id').orderBy('id');
  if (job.data.imageIds?.length) q = q.where('id', 'in', job.data.imageIds);
  const ids = (await q.execute()).map((r) => r.id);
  const size = ctx.batchSize ?? REMATCH_BATCH_SIZE;
  const batches: string[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const imageIds = ids.slice(i, i + size);
    // a plan retried (its worker died) does not add a batch that still waits a second time;
    // one already done is done again, which re-match allows (it stores nothing when unchanged)
    const id = await ctx.queue.enqueue(
      'rematch-batch',
      { imageIds, parent: job.id } satisfies RematchBatchData,
      { singletonKey: `${job.id}:${i / size}` },
    );
    if (id) batches.push(id);
  }
  return { images: ids.length, batches };
}

export async function runRematchBatch(
  ctx: WorkerContext,
  job: Job<RematchBatchData>,
): Promise<RematchBatchOutput> {
  if (!ctx.vulnDbPath)
    throw new BulwarkError('DATABASE', 'this process has no vulnerability database (--db)');
  if (!job.data.imageIds.length) return { dbBuiltAt: '', images: [] };
  const r = await rematch(ctx.store, {
    dbPath: ctx.vulnDbPath,
    toolVersion: ctx.toolVersion,
    imageIds: job.data.imageIds,
    ...(ctx.clock ? { now: ctx.clock() } : {}),
  });
  return {
    dbBuiltAt: r.dbBuiltAt,
    images: r.images.map((i) => ({
      imageId: i.imageId,
      fromScanId: i.fromScanId,
      scanId: i.scanId,
      new: i.new.length,
      vanished: i.vanished.length,
    })),
  };
}

/** Takes every kind of server job from the queue until the queue is stopped. */
export async function startWorking(ctx: WorkerContext): Promise<void> {
  const concurrency = ctx.concurrency ?? 1;
  await ctx.queue.work<RematchJobData>(
    'rematch',
    logged(ctx, (j) => planRematch(ctx, j)),
    { concurrency },
  );
  await ctx.queue.work<RematchBatchData>(
    'rematch-batch',
    logged(ctx, (j) => runRematchBatch(ctx, j)),
    {
      concurrency,
    },
  );
  const cacheDir = ctx.cacheDir;
  if (cacheDir)
    await ctx.queue.work<ScanJobData>(
      'scan',
      logged(ctx, (j) =>
        runScanJob(
          {
            store: ctx.store,
            cacheDir,
            toolVersion: ctx.toolVersion,
            ...(ctx.vulnDbPath ? { vulnDbPath: ctx.vulnDbPath } : {}),
            ...(ctx.secretBox ? { secretBox: ctx.secretBox } : {}),
            ...(ctx.clock ? { clock: ctx.clock } : {}),
          },
          j,
        ),
      ),
      { concurrency },
    );
  for (const [name, fn] of Object.entries(ctx.handlers ?? {}))
    await ctx.queue.work(name, logged(ctx, fn as (job: Job<unknown>) => Promise<unknown>), { concurrency });
}
