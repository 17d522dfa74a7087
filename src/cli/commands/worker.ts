import { Command } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import { VERSION } from '../version.js';
import { dbOption, formatOption, intOption, type CliContext } from '../context.js';

interface WorkerFlags {
  database?: string;
  db?: string;
  concurrency: number;
  jobTimeout: number;
  pollInterval: number;
  format: 'text' | 'json';
}

/** One log line per event: a JSON object, or `time event name id (details)` as text. */
export function formatLogLine(format: 'text' | 'json', e: Record<string, unknown>, now = new Date()): string {
  const entry = { time: now.toISOString(), ...e };
  if (format === 'json') return JSON.stringify(entry);
  const { time, event, name, job, ...rest } = entry as Record<string, unknown>;
  const extra = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return [time, event, name, job, extra].filter((x) => x !== undefined && x !== '').join(' ');
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('worker')
    .description(
      "Take the server's jobs (re-matches, scans by reference) from its PostgreSQL job queue; run as many as you like, on any machine",
    )
    .option('--database <url>', 'the server store: postgres://user@host:port/db (or BULWARK_DATABASE_URL)')
    .addOption(dbOption())
    .addOption(intOption('--concurrency <n>', 'jobs of each kind at once in this process', 1, 64, 1))
    .addOption(
      intOption(
        '--job-timeout <seconds>',
        'a job active this long is taken to be lost (its worker died) and is retried',
        2,
        86_400,
        900,
      ),
    )
    .addOption(
      intOption('--poll-interval <ms>', 'how often an idle worker asks for a job', 500, 60_000, 2000),
    )
    .addOption(formatOption(['text', 'json'], 'text').default('text'))
    .addHelpText(
      'after',
      `
A job whose worker is killed is taken again by another once --job-timeout has passed. SIGTERM or
SIGINT stops taking jobs, waits up to 30 s for the running ones, and exits 0. On SQLite the server
works its own jobs (one process); a worker needs PostgreSQL. See docs/server.md.

Examples:
  $ bulwark worker --database postgres://bulwark@db:5432/bulwark
  $ bulwark worker --database postgres://bulwark@db:5432/bulwark --concurrency 4 --format json

One line per job event (started, completed, failed) on stdout.`,
    )
    .action(async (flags: WorkerFlags) => {
      const databaseUrl = flags.database ?? ctx.env.BULWARK_DATABASE_URL;
      if (!databaseUrl)
        throw new BulwarkError(
          'USAGE',
          'name --database postgres://... (on SQLite the server works its own jobs)',
        );
      const [{ openStore }, { openQueue }, { queueDefinitions, startWorking }] = await Promise.all([
        import('../../server/store/open.js'),
        import('../../server/queue/index.js'),
        import('../../server/jobs/index.js'),
      ]);
      const store = await openStore({ databaseUrl });
      const log = (e: Record<string, unknown>) => void ctx.emit(formatLogLine(flags.format, e));
      let queue;
      try {
        queue = await openQueue({
          store,
          databaseUrl,
          queues: queueDefinitions(flags.jobTimeout),
          pollingIntervalSeconds: flags.pollInterval / 1000,
          maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(flags.jobTimeout / 2))),
          onError: (e) => log({ event: 'error', error: e.message }),
        });
      } catch (e) {
        await store.close();
        throw e;
      }
      const { secretBoxFromEnv } = await import('../../server/crypto/sealed.js');
      const secretBox = secretBoxFromEnv(ctx.env);
      await startWorking({
        store,
        queue,
        vulnDbPath: ctx.dbPath(flags),
        toolVersion: VERSION,
        concurrency: flags.concurrency,
        cacheDir: ctx.cacheDir(),
        ...(secretBox ? { secretBox } : {}),
        log: (e) => log({ ...e }),
      });
      log({ event: 'ready', pid: process.pid, concurrency: flags.concurrency });
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          log({ event: 'stopping' });
          void queue
            .stop({ graceful: true, timeoutMs: 30_000 })
            .then(() => store.close())
            .finally(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
  program.addCommand(cmd);
}
