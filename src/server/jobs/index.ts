/** Server jobs: their kinds and queue defaults, and the handlers a worker runs. */
export * from './definitions.js';
export {
  planRematch,
  runRematchBatch,
  startWorking,
  type JobLogEntry,
  type WorkerContext,
} from './worker.js';
export { nextRun, parseCron } from './cron.js';
export { scheduleDbUpdate, updateAndRematch, type DbUpdateOptions } from './db-update.js';
export { runScanJob, type ScanJobData, type ScanJobOutput } from './scan.js';
export {
  runDueSchedules,
  startScheduler,
  tagMatcher,
  type ScheduleContext,
  type ScheduleRun,
} from './schedules.js';
