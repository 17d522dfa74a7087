/**
 * The scheduled database update (`bulwark server --db-update-schedule "<cron>" --mirror DIR|URL`):
 * runs the CLI's own `db update` (src/vulndb's updateDb with the matcher's build options), then
 * queues a re-match of every stored inventory. A run still going when the next one is due is not
 * doubled (croner's `protect`).
 */
import { Cron } from 'croner';
import type { JobQueue } from '../queue/index.js';
import { parseCron } from './cron.js';

export interface DbUpdateOptions {
  cron: string;
  /** OSV bucket layout (directory, file:// or HTTP(S) URL); the public feeds without it */
  mirror?: string;
  dbPath: string;
  queue: JobQueue;
  log?: (e: {
    event: 'db-update';
    status: 'ok' | 'failed';
    builtAt?: string;
    rematchJob?: string | null;
    error?: string;
  }) => void;
}

/** One update and the re-match after it; answers the re-match job's id. */
export async function updateAndRematch(
  o: Omit<DbUpdateOptions, 'cron'>,
): Promise<{ builtAt: string; rematchJob: string | null }> {
  const [{ updateDb }, { supportedEcosystems }, { MATCH_DB_BUILD }] = await Promise.all([
    import('../../vulndb/index.js'),
    import('../../ecosystems/index.js'),
    import('../../match/index.js'),
  ]);
  const supported = new Set(supportedEcosystems());
  const res = await updateDb({
    dbPath: o.dbPath,
    ...(o.mirror ? { mirror: o.mirror } : {}),
    isSupported: (e: string) => supported.has(e),
    ...MATCH_DB_BUILD,
    kev: true,
    epss: true,
    nvd: { api: false },
    debianTracker: {},
  });
  // one waiting re-match is enough however many updates finish before it starts
  const rematchJob = await o.queue.enqueue(
    'rematch',
    { requestedBy: 'db-update' },
    { singletonKey: 'db-update' },
  );
  return { builtAt: res.builtAt, rematchJob };
}

export function scheduleDbUpdate(o: DbUpdateOptions): { stop(): void; next(): Date | null } {
  parseCron(o.cron, '--db-update-schedule');
  const job = new Cron(o.cron, { timezone: 'UTC', protect: true }, async () => {
    try {
      const r = await updateAndRematch(o);
      o.log?.({ event: 'db-update', status: 'ok', builtAt: r.builtAt, rematchJob: r.rematchJob });
    } catch (e) {
      o.log?.({ event: 'db-update', status: 'failed', error: (e as Error).message });
    }
  });
  return { stop: () => job.stop(), next: () => job.nextRun() };
}
