import path from 'node:path';
import { Command } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import { VERSION } from '../version.js';
import { dbOption, formatOption, intOption, type CliContext } from '../context.js';

interface ServerFlags {
  listen: string;
  dataDir?: string;
  database?: string;
  tlsCert?: string;
  tlsKey?: string;
  maxReportSize: number;
  format: 'text' | 'json';
  logLevel: string;
  db?: string;
  notifyInterval: number;
  worker: boolean;
  concurrency: number;
  jobTimeout: number;
  dbUpdateSchedule?: string;
  mirror?: string;
}

/** `127.0.0.1:8080`, `[::1]:8080`, `:8080` (loopback). */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > 65535)
    throw new BulwarkError('USAGE', '--listen takes host:port (e.g. 127.0.0.1:8080)', { input: value });
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = new Command('server')
    .description(
      'Run the vulnerability management server: stores uploaded image scans (`bulwark image --server URL`), their history and diffs, behind users, roles and API tokens',
    )
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:8080')
    .option('--data-dir <dir>', 'where the SQLite store (server.db) lives (needed without --database)')
    .option(
      '--database <url>',
      'PostgreSQL instead of SQLite: postgres://user@host:port/db (or BULWARK_DATABASE_URL)',
    )
    .option(
      '--tls-cert <file>',
      'serve HTTPS with this PEM certificate (with --tls-key); cookies are then Secure',
    )
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option(
      '--max-report-size <MiB>',
      'largest report upload',
      (v) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n <= 0 || n > 4096)
          throw new Error('--max-report-size takes 1..4096 (MiB)');
        return n;
      },
      64,
    )
    .option(
      '--notify-interval <seconds>',
      'how often due notifications are sent (0: never, e.g. when workers send them)',
      (v) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0 || n > 86400)
          throw new Error('--notify-interval takes 0..86400 (seconds)');
        return n;
      },
      30,
    )
    .addOption(dbOption())
    .option('--log-level <level>', 'JSON log level on stderr: fatal, error, warn, info, debug', 'info')
    .addOption(formatOption(['text', 'json'], 'text').default('text'))
    .option('--no-worker', 'queue jobs but do not work them here (`bulwark worker` processes do; PostgreSQL)')
    .addOption(intOption('--concurrency <n>', 'jobs of each kind this process works at once', 1, 64, 1))
    .addOption(
      intOption(
        '--job-timeout <seconds>',
        'a job active this long is taken to be lost and retried',
        2,
        86_400,
        900,
      ),
    )
    .option(
      '--db-update-schedule <cron>',
      'run `bulwark db update` on this cron schedule (UTC), then re-match every stored inventory',
    )
    .option(
      '--mirror <url-or-dir>',
      'the OSV mirror scheduled updates read (as `bulwark db update --mirror`)',
    )
    .addHelpText(
      'after',
      `
The first admin: BULWARK_ADMIN_PASSWORD (user "admin", or BULWARK_ADMIN_USER) when no user exists;
without it, a one-time set-up token is printed on first start (POST /api/v1/setup). See docs/server.md.

Examples:
  $ BULWARK_ADMIN_PASSWORD='a long passphrase' bulwark server --data-dir /var/lib/bulwark
  $ bulwark server --listen 0.0.0.0:8443 --data-dir ./data --tls-cert cert.pem --tls-key key.pem
  $ bulwark server --database postgres://bulwark@db:5432/bulwark

Logs are JSON lines on stderr; the address line (--format json: one JSON object) goes to stdout.

Notifications (webhooks, Slack, email): BULWARK_SECRET_KEY (32 bytes as 64 hex characters or base64)
seals their secrets; without it no channel can be added. Due deliveries are sent every
--notify-interval seconds. See docs/notifications.md.`,
    )
    .action(async (flags: ServerFlags) => {
      const { host, port } = parseListen(flags.listen);
      const databaseUrl = flags.database ?? ctx.env.BULWARK_DATABASE_URL;
      if (!databaseUrl && !flags.dataDir)
        throw new BulwarkError('USAGE', 'name --data-dir (SQLite) or --database (PostgreSQL)');
      if (Boolean(flags.tlsCert) !== Boolean(flags.tlsKey))
        throw new BulwarkError('USAGE', '--tls-cert and --tls-key go together');
      const { readFile } = await import('node:fs/promises');
      const tls =
        flags.tlsCert && flags.tlsKey
          ? {
              cert: await readFile(flags.tlsCert).catch((e: unknown) => {
                throw new BulwarkError('INPUT_NOT_FOUND', 'cannot read the TLS certificate', {
                  input: flags.tlsCert,
                  cause: e,
                });
              }),
              key: await readFile(flags.tlsKey).catch((e: unknown) => {
                throw new BulwarkError('INPUT_NOT_FOUND', 'cannot read the TLS key', {
                  input: flags.tlsKey,
                  cause: e,
                });
              }),
            }
          : undefined;
      const { buildApp, bootstrapAdmin, openStore } = await import('../../server/index.js');
      const jobs = await import('../../server/jobs/index.js');
      const { openQueue } = await import('../../server/queue/index.js');
      if (flags.dbUpdateSchedule) jobs.parseCron(flags.dbUpdateSchedule, '--db-update-schedule');
      if (!flags.worker && !databaseUrl)
        throw new BulwarkError(
          'USAGE',
          '--no-worker needs --database: on SQLite the server works its own jobs',
        );
      const store = await openStore(
        databaseUrl ? { databaseUrl } : { sqlitePath: path.resolve(flags.dataDir!, 'server.db') },
      );
      const jobLog = (e: object) =>
        ctx.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...e })}\n`);
      let queue: Awaited<ReturnType<typeof openQueue>>;
      try {
        queue = await openQueue({
          store,
          ...(databaseUrl ? { databaseUrl } : {}),
          queues: jobs.queueDefinitions(flags.jobTimeout),
          maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.floor(flags.jobTimeout / 2))),
          onError: (e) => jobLog({ event: 'error', error: e.message }),
        });
      } catch (e) {
        await store.close();
        throw e;
      }
      const vulnDbPath = ctx.dbPath(flags);
      const { secretBoxFromEnv } = await import('../../server/crypto/sealed.js');
      const secretBox = secretBoxFromEnv(ctx.env);
      if (flags.worker)
        await jobs.startWorking({
          store,
          queue,
          vulnDbPath,
          toolVersion: VERSION,
          concurrency: flags.concurrency,
          cacheDir: ctx.cacheDir(),
          ...(secretBox ? { secretBox } : {}),
          log: jobLog,
        });
      const mirror = flags.mirror ?? ctx.env.BULWARK_DB_MIRROR ?? ctx.config().db?.mirror;
      const dbUpdate = flags.dbUpdateSchedule
        ? jobs.scheduleDbUpdate({
            cron: flags.dbUpdateSchedule,
            ...(mirror ? { mirror } : {}),
            dbPath: vulnDbPath,
            queue,
            log: jobLog,
          })
        : undefined;
      const scheduler = jobs.startScheduler({
        store,
        queue,
        ...(secretBox ? { secretBox } : {}),
        log: jobLog,
      });
      const boot = await bootstrapAdmin(store, {
        ...(ctx.env.BULWARK_ADMIN_PASSWORD ? { adminPassword: ctx.env.BULWARK_ADMIN_PASSWORD } : {}),
        ...(ctx.env.BULWARK_ADMIN_USER ? { adminUser: ctx.env.BULWARK_ADMIN_USER } : {}),
      });
      const app = await buildApp({
        store,
        version: VERSION,
        logger: { level: flags.logLevel, stream: process.stderr } as never,
        ...(tls ? { tls } : {}),
        maxReportBytes: Math.round(flags.maxReportSize * 1024 * 1024),
        vulnDbPath,
        queue,
        ...(secretBox ? { secretBox } : {}),
      });
      let address: string;
      try {
        address = await app.listen({ host, port });
      } catch (e) {
        dbUpdate?.stop();
        scheduler.stop();
        await queue.stop({ graceful: false });
        await store.close();
        throw new BulwarkError('NETWORK', `cannot listen: ${(e as Error).message}`, {
          input: flags.listen,
          cause: e,
        });
      }
      if (boot.kind === 'setup-token')
        // deliberately on stderr, once: the one way to the first admin without a password in the environment
        ctx.stderr.write(
          `bulwark server: no users yet. One-time set-up token (POST /api/v1/setup with token, username, password):\n${boot.token}\n`,
        );
      await ctx.emit(
        flags.format === 'json'
          ? JSON.stringify({ listening: address, store: databaseUrl ? 'postgres' : 'sqlite' })
          : `bulwark server listening on ${address}`,
      );
      const { startNotifier } = await import('../../server/notify/index.js');
      const notifier =
        flags.notifyInterval > 0
          ? startNotifier(store, {
              intervalMs: flags.notifyInterval * 1000,
              box: secretBox,
              version: VERSION,
              onError: (e) => app.log.error({ err: e }, 'notification round failed'),
              onRound: (r) => {
                if (r.delivered + r.retried + r.failed + r.cancelled + r.grouped)
                  app.log.info({ notifications: r }, 'notification round');
              },
            })
          : undefined;
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          dbUpdate?.stop();
          scheduler.stop();
          void (notifier?.stop() ?? Promise.resolve())
            .then(() => app.close())
            .then(() => queue.stop({ graceful: true, timeoutMs: 30_000 }))
            .then(() => store.close())
            .finally(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
  program.addCommand(cmd);
}
