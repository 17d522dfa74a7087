import { Command, Option } from 'commander';
import { BulwarkError } from '../../core/errors.js';
import { cacheDirOption, dbOption, formatOption, type CliContext } from '../context.js';

interface CommonFlags {
  db?: string;
  cacheDir?: string;
  format: 'table' | 'json';
}

interface UpdateFlags extends CommonFlags {
  mirror?: string;
  ecosystems?: string;
  force?: boolean;
  kev: boolean;
  epss: boolean;
  /** true with --nvd, false with --no-nvd, undefined otherwise */
  nvd?: boolean;
  nvdFeeds?: string;
  nvdApiUrl?: string;
  debianTracker: boolean;
  caCert?: string;
}

interface StatusFlags extends CommonFlags {
  maxAge?: string;
}

/** Must match the normaliser id the scanner builds its demo database with. */

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
    .join('\n');
}

function withCommon(cmd: Command): Command {
  return cmd
    .addOption(dbOption())
    .addOption(cacheDirOption())
    .addOption(formatOption(['table', 'json']));
}

/** A public feed that cannot be reached: say how to build the database without the network. */
export async function withOfflineHint<T>(fromMirror: boolean, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    const { BulwarkError } = await import('../../core/errors.js');
    if (fromMirror || !(e instanceof BulwarkError) || e.code !== 'NETWORK') throw e;
    throw new BulwarkError('NETWORK', `${e.message}. ${OFFLINE_HINT}`, {
      ...(e.input ? { input: e.input } : {}),
      cause: e,
    });
  }
}

const OFFLINE_HINT =
  'Without the network, build the database from an OSV mirror (`bulwark db update --mirror DIR|URL`) ' +
  'or load a bundle made elsewhere with `bulwark db export` (`bulwark db import FILE`); `bulwark` ' +
  'with no arguments scans the bundled demo offline';

export function register(program: Command, ctx: CliContext): void {
  const db = new Command('db').description(
    'Manage the local vulnerability database (OSV, CISA KEV, FIRST EPSS, NVD, Debian tracker): update, status, export, import',
  );

  const update = withCommon(new Command('update'))
    .description(
      'Download the feeds (conditionally) and rebuild the database; the old one stays usable until the swap',
    )
    .option(
      '--mirror <url-or-dir>',
      'read every feed from one mirror in the OSV bucket layout (env BULWARK_DB_MIRROR)',
    )
    .option(
      '--ecosystems <list>',
      'comma-separated OSV ecosystem folders (default: the supported ones in ecosystems.txt)',
    )
    .option('--force', 'ignore the previous database and download everything again')
    .option('--ca-cert <file>', 'extra CA certificate (PEM) to trust for an HTTPS mirror behind a private CA')
    .option('--no-kev', 'skip the CISA KEV feed')
    .option('--no-epss', 'skip the FIRST EPSS feed')
    .option(
      '--nvd',
      'read CVSS from the NVD CVE API 2.0 (opt-in: a first run takes ~15 min without NVD_API_KEY)',
    )
    .option('--no-nvd', "skip NVD's CVSS ratings, even a mirror's nvd/ folder")
    .option(
      '--nvd-feeds <url-or-dir>',
      'read NVD JSON 2.0 feed files (nvdcve-2.0-<year>.json.gz) from here instead of the NVD API',
    )
    .option(
      '--nvd-api-url <url>',
      "the NVD CVE API 2.0 endpoint (implies --nvd; default NVD's; env NVD_API_KEY is sent as apiKey)",
    )
    .option('--no-debian-tracker', "skip the Debian security tracker's urgencies")
    .addHelpText(
      'after',
      `
Sources without --mirror: the public OSV bucket, CISA's KEV JSON, FIRST's EPSS CSV and the Debian
security tracker's JSON. The NVD CVE API 2.0 is contacted only with --nvd, --nvd-api-url or
NVD_API_KEY set (every CVE the first time, then only what changed; 5 requests per 30 s, 50 with a
key); otherwise the NVD ratings of the previous database are kept as they are.
A mirror (HTTP(S) URL, file:// URL or directory) holds ecosystems.txt, <Ecosystem>/all.zip,
kev/known_exploited_vulnerabilities.json, epss/epss_scores-current.csv.gz, nvd/ (NVD JSON 2.0 feed
files, listed in nvd/feeds.txt) and debian/tracker.json. See docs/severity.md.

Examples:
  $ bulwark db update
  $ bulwark db update --mirror https://mirror.example.internal/osv/ --ecosystems Debian,npm
  $ bulwark db update --mirror /srv/osv-mirror --db ./bulwark.db --format json
  $ NVD_API_KEY=... bulwark db update
  $ bulwark db update --nvd
  $ bulwark db update --nvd-feeds /srv/nvd-feeds --no-debian-tracker`,
    )
    .action(async (flags: UpdateFlags) => {
      const [{ updateDb }, { supportedEcosystems }, { MATCH_DB_BUILD }] = await Promise.all([
        import('../../vulndb/index.js'),
        import('../../ecosystems/index.js'),
        import('../../match/index.js'),
      ]);
      const supported = new Set(supportedEcosystems());
      const mirror = flags.mirror ?? ctx.env.BULWARK_DB_MIRROR ?? ctx.config().db?.mirror;
      const ecosystems = flags.ecosystems
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (ecosystems && ecosystems.length === 0)
        throw new BulwarkError('USAGE', '--ecosystems needs at least one name', { input: flags.ecosystems });
      let ca: string | undefined;
      if (flags.caCert) {
        const { readFile } = await import('node:fs/promises');
        ca = await readFile(flags.caCert, 'utf8').catch((e: unknown) => {
          throw new BulwarkError('INPUT_NOT_FOUND', `cannot read CA certificate: ${(e as Error).message}`, {
            input: flags.caCert,
          });
        });
      }
      // the pause between NVD API requests (tests and proxies that pace requests themselves)
      const rawDelay = ctx.env.BULWARK_NVD_PAGE_DELAY_MS;
      const pageDelayMs = rawDelay === undefined ? undefined : Number(rawDelay);
      if (pageDelayMs !== undefined && !(Number.isFinite(pageDelayMs) && pageDelayMs >= 0))
        throw new BulwarkError('USAGE', 'BULWARK_NVD_PAGE_DELAY_MS must be a number of milliseconds', {
          input: rawDelay,
        });
      const res = await withOfflineHint(
        Boolean(mirror),
        updateDb({
          ...(ca ? { fetch: { ca } } : {}),
          dbPath: ctx.dbPath(flags),
          ...(mirror ? { mirror } : {}),
          ...(ecosystems ? { ecosystems } : { isSupported: (e: string) => supported.has(e) }),
          ...MATCH_DB_BUILD,
          kev: flags.kev,
          epss: flags.epss,
          nvd:
            flags.nvd !== false
              ? {
                  // the API is opt-in; a key in the environment opts in, except beside a mirror
                  // (air-gapped runs read the mirror's nvd/ folder)
                  api: flags.nvd === true || (!mirror && Boolean(ctx.env.NVD_API_KEY)),
                  ...(flags.nvdFeeds ? { feeds: flags.nvdFeeds } : {}),
                  ...(flags.nvdApiUrl ? { apiUrl: flags.nvdApiUrl } : {}),
                  ...(ctx.env.NVD_API_KEY ? { apiKey: ctx.env.NVD_API_KEY } : {}),
                  ...(pageDelayMs !== undefined ? { pageDelayMs } : {}),
                }
              : false,
          debianTracker: flags.debianTracker ? {} : false,
          force: Boolean(flags.force),
          progress: ctx.progress,
        }),
      );
      if (flags.format === 'json') return ctx.emit(json(res));
      const rows = [['SOURCE', 'STATUS', 'RECORDS', 'URL']];
      for (const s of res.sources) rows.push([s.name, s.status, String(s.records), s.url]);
      await ctx.emit(`${columns(rows)}\n\nDatabase ${res.dbPath} built ${res.builtAt}`);
    });

  const status = withCommon(new Command('status'))
    .description('Show the schema, build time, age and per-source counts; warns when older than --max-age')
    .addOption(
      new Option(
        '--max-age <days>',
        'age in days after which the database counts as stale (default: config db.maxAgeDays, else 7)',
      ),
    )
    .addHelpText(
      'after',
      `
Examples:
  $ bulwark db status
  $ bulwark db status --max-age 1 --format json`,
    )
    .action(async (flags: StatusFlags) => {
      const maxAgeDays =
        flags.maxAge === undefined ? (ctx.config().db?.maxAgeDays ?? 7) : Number(flags.maxAge);
      if (!Number.isFinite(maxAgeDays) || maxAgeDays < 0)
        throw new BulwarkError('USAGE', '--max-age must be a number of days', { input: flags.maxAge });
      const { dbStatus } = await import('../../vulndb/index.js');
      const st = dbStatus(ctx.dbPath(flags), { maxAgeDays });
      if (st.stale)
        ctx.progress.warn(
          `the database is ${st.ageDays.toFixed(1)} days old (more than ${maxAgeDays}); run \`bulwark db update\``,
        );
      if (flags.format === 'json') return ctx.emit(json(st));
      const lines = [
        `Database:  ${st.path}`,
        `Schema:    ${st.schemaVersion}`,
        `Built:     ${st.builtAt} (${st.ageDays.toFixed(1)} days ago${st.stale ? ', STALE' : ''}) with ${st.builtWith || 'unknown rules'}`,
        `Size:      ${(st.sizeBytes / 1024 / 1024).toFixed(1)} MiB`,
        `Records:   ${st.counts.records} (+${st.counts.withdrawn} withdrawn), KEV ${st.counts.kev}, EPSS ${st.counts.epss}`,
        `Ratings:   NVD CVSS for ${st.counts.nvd} CVEs, vendor severities ${st.counts.vendor}`,
        '',
      ];
      const rows = [['SOURCE', 'KIND', 'RECORDS', 'FETCHED', 'URL']];
      for (const s of st.sources) rows.push([s.name, s.kind ?? '', String(s.records), s.fetchedAt, s.url]);
      const ecoRows = [['ECOSYSTEM', 'RECORDS']];
      for (const e of st.ecosystems) ecoRows.push([e.ecosystem, String(e.records)]);
      await ctx.emit(`${lines.join('\n')}\n${columns(rows)}\n\n${columns(ecoRows)}`);
    });

  const exp = withCommon(new Command('export'))
    .description(
      'Write the database as one file (tar: manifest.json with sha256 + gzip SQLite) for air-gapped machines',
    )
    .argument('<file>', 'output file, e.g. bulwark-db.tar')
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark db export bulwark-db.tar\n  $ bulwark db import bulwark-db.tar --db /opt/bulwark/bulwark.db',
    )
    .action(async (file: string, flags: CommonFlags) => {
      const { exportDb } = await import('../../vulndb/index.js');
      const res = await exportDb(ctx.dbPath(flags), file);
      if (flags.format === 'json') return ctx.emit(json(res));
      await ctx.emit(
        `Exported ${res.file} (${res.bytes} bytes): schema ${res.manifest.schemaVersion}, built ${res.manifest.builtAt}, sha256 ${res.manifest.database.sha256}`,
      );
    });

  const imp = withCommon(new Command('import'))
    .description('Verify an exported database (sha256, integrity check, schema) and swap it in atomically')
    .argument('<file>', 'a file written by `bulwark db export`')
    .addHelpText(
      'after',
      '\nExamples:\n  $ bulwark db import bulwark-db.tar\n  $ bulwark db import /media/usb/bulwark-db.tar --db ./bulwark.db',
    )
    .action(async (file: string, flags: CommonFlags) => {
      const { importDb } = await import('../../vulndb/index.js');
      const res = await importDb(file, ctx.dbPath(flags));
      if (flags.format === 'json') return ctx.emit(json(res));
      await ctx.emit(
        `Imported ${file} into ${res.dbPath}: schema ${res.manifest.schemaVersion}, built ${res.manifest.builtAt}, sha256 verified`,
      );
    });

  db.addCommand(update).addCommand(status).addCommand(exp).addCommand(imp);
  program.addCommand(db);
}
