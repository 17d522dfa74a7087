/**
 * The server's job kinds and their queue defaults. A re-match of the whole portfolio is one
 * `rematch` job that splits the images into `rematch-batch` jobs, so several workers share it.
 */
import type { QueueDefinition } from '../queue/index.js';

export const JOB_NAMES = ['rematch', 'rematch-batch', 'scan'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** images per re-match batch job */
export const REMATCH_BATCH_SIZE = 250;

/** an active job older than this is taken to be lost and is retried (its worker died) */
export const DEFAULT_JOB_TIMEOUT_SECONDS = 15 * 60;

export function queueDefinitions(
  jobTimeoutSeconds = DEFAULT_JOB_TIMEOUT_SECONDS,
): Record<JobName, QueueDefinition> {
  const base = { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: jobTimeoutSeconds };
  return { rematch: base, 'rematch-batch': base, scan: base };
}

export interface RematchJobData {
  imageIds?: number[];
  /** who asked (audit) */
  requestedBy?: string;
}

export interface RematchBatchData {
  imageIds: number[];
  /** the `rematch` job this batch is part of */
  parent: string;
}

export interface RematchJobOutput {
  images: number;
  batches: string[];
}

export interface RematchBatchOutput {
  dbBuiltAt: string;
  images: { imageId: number; fromScanId: number; scanId: number | null; new: number; vanished: number }[];
}
