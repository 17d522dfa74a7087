/**
 * `db update`: fetch every feed (conditionally), stream it into a new SQLite file beside the current
 * one, then swap atomically. The current database stays usable until the swap, whatever happens.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { BulwarkError } from '../core/errors.js';
import { silentProgress, type Progress } from '../core/progress.js';
import { fetchFeed, isLocalSource, joinSource, type FetchOptions, type FetchResult } from './fetch.js';
import { readEpss, readKev } from './feeds.js';
import { openDatabaseFile, readSources, type SourceInfo } from './open.js';
import { readOsvZip, type ZipLimits } from './osv-zip.js';
import {
  DEFAULT_DEBIAN_TRACKER_URL,
  keepPreviousNvd,
  updateDebianTracker,
  updateNvdApi,
  updateNvdFeeds,
  type NvdUpdateOptions,
  type RatingContext,
} from './ratings-update.js';
import {
  atomicReplace,
  DbBuilder,
  dbWriteError,
  fallbackNormalizeName,
  removeStaleTemps,
  tempDbPath,
  type KeepListed,
  type NormalizeName,
  type SourceMeta,
} from './store.js';

export const DEFAULT_OSV_BASE = 'https://osv-vulnerabilities.storage.googleapis.com/';
export const DEFAULT_KEV_URL =
  'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json';
export const DEFAULT_EPSS_URL = 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz';

export interface UpdateOptions {
  dbPath: string;
  /** one base (URL, file:// URL or directory) for every feed, in the OSV bucket layout */
  mirror?: string;
  /** per-feed overrides; they win over `mirror` */
  osvBase?: string;
  kevUrl?: string;
  epssUrl?: string;
  /** explicit ecosystem folders; default: the mirror's ecosystems.txt filtered by `isSupported` */
  ecosystems?: string[];
  /** ecosystem base name (`Debian`, `npm`) -> whether bulwark can match it */
  isSupported?: (ecosystem: string) => boolean;
  normalizeName?: NormalizeName;
  /**
   * Names the normaliser; a previous database built with another one is not reused for unchanged
   * feeds, since its index keys would differ.
   */
  normalizerId?: string;
  /**
   * Which listed versions the matcher's copy of an entry keeps (see `KeepListed`); all when
   * omitted. Changing it changes the rows, so it is part of what `normalizerId` names.
   */
  keepListed?: KeepListed;
  /** skip KEV / EPSS entirely */
  kev?: boolean;
  epss?: boolean;
  /**
   * NVD CVSS for every CVE: NVD JSON 2.0 feed files with `feeds`, the CVE API 2.0 only with `api`
   * (opt-in), else a mirror's `nvd/` folder when `mirror` is set, else the previous database's NVD
   * rows unchanged; `false` skips NVD
   */
  nvd?: false | NvdUpdateOptions;
  /** the Debian security tracker's JSON (per-release urgencies); a mirror's `debian/tracker.json` */
  debianTracker?: false | { url?: string };
  /** ignore the previous database's validators and download everything */
  force?: boolean;
  progress?: Progress;
  fetch?: Pick<
    FetchOptions,
    'timeoutMs' | 'retries' | 'retryBaseMs' | 'maxRedirects' | 'maxBytes' | 'userAgent' | 'ca' | 'sleep'
  >;
  zipLimits?: Partial<ZipLimits>;
  now?: () => Date;
}

export type SourceStatus = 'downloaded' | 'unchanged' | 'kept' | 'missing';

export interface UpdateResult {
  dbPath: string;
  builtAt: string;
  ecosystems: string[];
  sources: (SourceMeta & { status: SourceStatus })[];
  warnings: string[];
}

const MAX_ECOSYSTEMS_TXT = 1024 * 1024;

function validEcosystemFolder(name: string): boolean {
  return name.length > 0 && name.length <= 100 && !/[/\\\0]/.test(name) && name !== '.' && name !== '..';
}

interface Previous {
  sources: Map<string, SourceInfo>;
}

function readPrevious(dbPath: string, normalizerId: string, warn: (m: string) => void): Previous | undefined {
  let handle;
  try {
    handle = openDatabaseFile(dbPath);
  } catch (e) {
    if (e instanceof BulwarkError && /no vulnerability database/.test(e.message)) return undefined;
    warn(`previous database is not reusable, downloading everything: ${(e as Error).message}`);
    return undefined;
  }
  try {
    if ((handle.meta.get('normalizer') ?? '') !== normalizerId) return undefined;
    return { sources: new Map(readSources(handle.db).map((s) => [s.name, s])) };
  } catch {
    return undefined;
  } finally {
    handle.db.close();
  }
}

export async function updateDb(opts: UpdateOptions): Promise<UpdateResult> {
  const progress = opts.progress ?? silentProgress;
  const now = opts.now ?? (() => new Date());
  const warnings: string[] = [];
  const warn = (m: string): void => {
    warnings.push(m);
    progress.warn(m);
  };
  const dbPath = path.resolve(opts.dbPath);
  const dir = path.dirname(dbPath);
  const normalizeName = opts.normalizeName ?? fallbackNormalizeName;
  const normalizerId = opts.normalizerId ?? (opts.normalizeName ? 'custom' : 'fallback-1');
  // Local mirrors are recorded as absolute paths so the next run (from any cwd) can reuse them.
  const local = (s: string | undefined): string | undefined =>
    s && isLocalSource(s) && !s.startsWith('file:') ? path.resolve(s) : s;
  opts = {
    ...opts,
    mirror: local(opts.mirror),
    osvBase: local(opts.osvBase),
    kevUrl: local(opts.kevUrl),
    epssUrl: local(opts.epssUrl),
  };
  const osvBase = opts.osvBase ?? opts.mirror ?? DEFAULT_OSV_BASE;
  const kevUrl =
    opts.kevUrl ??
    (opts.mirror ? joinSource(opts.mirror, 'kev/known_exploited_vulnerabilities.json') : DEFAULT_KEV_URL);
  const epssUrl =
    opts.epssUrl ??
    (opts.mirror ? joinSource(opts.mirror, 'epss/epss_scores-current.csv.gz') : DEFAULT_EPSS_URL);

  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw new BulwarkError('DATABASE', `cannot create database directory: ${(e as Error).message}`, {
      input: dir,
      cause: e,
    });
  }
  await removeStaleTemps(dbPath);
  const prev = opts.force ? undefined : readPrevious(dbPath, normalizerId, warn);
  const fetchOpts = (prevSrc: SourceInfo | undefined): FetchOptions => ({
    ...opts.fetch,
    destDir: dir,
    etag: prevSrc?.etag,
    lastModified: prevSrc?.lastModified,
  });

  const ecosystems = await resolveEcosystems(opts, osvBase, dir, warn);
  const tmp = tempDbPath(dbPath);
  let builder: DbBuilder;
  try {
    builder = new DbBuilder(tmp, { normalizeName, keepListed: opts.keepListed });
  } catch (e) {
    throw dbWriteError(e, tmp);
  }
  const sources: UpdateResult['sources'] = [];

  /** Fetches one feed; on 304 copies it from the previous database, otherwise calls `load`. */
  const runFeed = async (
    name: string,
    kind: SourceMeta['kind'],
    url: string,
    load: (res: Extract<FetchResult, { status: 'fetched' }>) => Promise<{ records: number; bad: number }>,
  ): Promise<void> => {
    const prevSrc = prev?.sources.get(name);
    const usable = prevSrc && prevSrc.url === url ? prevSrc : undefined;
    progress.update(`${name}: fetching`);
    const res = await fetchFeed(url, fetchOpts(usable));
    const fetchedAt = now().toISOString();
    if (res.status === 'not-modified') {
      if (!usable) throw new BulwarkError('FEED', 'HTTP 304 without a previous copy', { input: url });
      const meta: SourceMeta = { ...usable, kind, fetchedAt, badRecords: usable.badRecords };
      builder.copySource(dbPath, meta);
      sources.push({ ...meta, status: 'unchanged' });
      return;
    }
    try {
      builder.begin();
      const { records, bad } = await load(res);
      const meta: SourceMeta = {
        name,
        kind,
        url,
        etag: res.etag,
        lastModified: res.lastModified,
        fetchedAt,
        records,
        badRecords: bad,
      };
      builder.setSource(meta);
      builder.commit();
      sources.push({ ...meta, status: 'downloaded' });
    } catch (e) {
      builder.rollback();
      throw e;
    } finally {
      if (res.temporary) await rm(res.file, { force: true });
    }
  };

  /** KEV and EPSS enrich findings; without them the scan still works, so failures only warn. */
  const runOptional = async (
    name: string,
    kind: 'kev' | 'epss' | 'nvd' | 'vendor',
    url: string,
    load: Parameters<typeof runFeed>[3],
  ): Promise<void> => {
    try {
      await runFeed(name, kind, url, load);
    } catch (e) {
      const err = e instanceof BulwarkError ? e : dbWriteError(e, url);
      if (err.code === 'DATABASE') throw err;
      const prevSrc = prev?.sources.get(name);
      if (prevSrc) {
        warn(
          `${name} feed unavailable (${err.toDisplayString()}); keeping the copy fetched ${prevSrc.fetchedAt}`,
        );
        builder.copySource(dbPath, { ...prevSrc, kind });
        sources.push({ ...prevSrc, kind, status: 'kept' });
      } else {
        warn(`${name} feed unavailable (${err.toDisplayString()}); continuing without it`);
        sources.push({
          name,
          kind,
          url,
          fetchedAt: now().toISOString(),
          records: 0,
          badRecords: 0,
          status: 'missing',
        });
      }
    }
  };

  try {
    for (const eco of ecosystems) {
      const name = `osv:${eco}`;
      const url = joinSource(osvBase, `${eco}/all.zip`);
      await runFeed(name, 'osv', url, async (res) => {
        const badExamples: string[] = [];
        const out = await readOsvZip(res.file, url, (rec, json) => builder.addRecord(name, rec, json), {
          ...(opts.zipLimits ? { limits: opts.zipLimits } : {}),
          onBad: (entry, reason) => {
            if (badExamples.length < 3) badExamples.push(`${entry}: ${reason}`);
          },
          onProgress: (done, total) => progress.update(`${name}: reading`, done, total),
        });
        if (out.bad > 0)
          warn(`${name}: skipped ${out.bad} malformed record(s), e.g. ${badExamples.join('; ')}`);
        return out;
      });
    }
    if (opts.kev !== false)
      await runOptional('kev', 'kev', kevUrl, (res) => readKev(res.file, kevUrl, (e) => builder.addKev(e)));
    if (opts.epss !== false)
      await runOptional('epss', 'epss', epssUrl, (res) =>
        readEpss(res.file, epssUrl, (e) => builder.addEpss(e)),
      );
    const ratings: RatingContext = {
      builder,
      dbPath,
      dir,
      prev: prev?.sources,
      now,
      warn,
      progress,
      fetch: opts.fetch,
      sources,
      runOptional,
    };
    if (opts.nvd !== false) {
      const nvd = opts.nvd ?? {};
      if (nvd.feeds) await updateNvdFeeds(ratings, local(nvd.feeds)!, true);
      else if (nvd.api || nvd.apiUrl) await updateNvdApi(ratings, nvd);
      else if (opts.mirror) await updateNvdFeeds(ratings, joinSource(opts.mirror, 'nvd'), false);
      else keepPreviousNvd(ratings);
    }
    if (opts.debianTracker !== false) {
      const url =
        local(opts.debianTracker?.url) ??
        (opts.mirror ? joinSource(opts.mirror, 'debian/tracker.json') : DEFAULT_DEBIAN_TRACKER_URL);
      await updateDebianTracker(ratings, url);
    }
    progress.update('indexing');
    const builtAt = now().toISOString();
    builder.finish({ built_at: builtAt, normalizer: normalizerId, generator: 'bulwark' });
    await atomicReplace(tmp, dbPath);
    progress.done();
    return { dbPath, builtAt, ecosystems, sources, warnings };
  } catch (e) {
    await builder.discard();
    progress.done();
    if (e instanceof BulwarkError) throw e;
    throw dbWriteError(e, dbPath);
  }
}

async function resolveEcosystems(
  opts: UpdateOptions,
  osvBase: string,
  dir: string,
  warn: (m: string) => void,
): Promise<string[]> {
  if (opts.ecosystems) {
    for (const e of opts.ecosystems)
      if (!validEcosystemFolder(e)) throw new BulwarkError('USAGE', 'not an ecosystem name', { input: e });
    return [...new Set(opts.ecosystems)];
  }
  const url = joinSource(osvBase, 'ecosystems.txt');
  const res = await fetchFeed(url, { ...opts.fetch, destDir: dir, maxBytes: MAX_ECOSYSTEMS_TXT });
  if (res.status !== 'fetched')
    throw new BulwarkError('FEED', 'unexpected 304 for ecosystems.txt', { input: url });
  let text: string;
  try {
    text = await readFile(res.file, 'utf8');
  } finally {
    if (res.temporary) await rm(res.file, { force: true });
  }
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (!validEcosystemFolder(line)) {
      warn(`ecosystems.txt: ignoring ${JSON.stringify(line.slice(0, 80))}`);
      continue;
    }
    if (!opts.isSupported || opts.isSupported(line)) out.push(line);
  }
  if (out.length === 0) throw new BulwarkError('FEED', 'no supported ecosystem listed', { input: url });
  return [...new Set(out)];
}

/** Builds a database from a local mirror folder (the bundled demo data, air-gapped copies). */
export function buildDbFromDirectory(
  mirrorDir: string,
  dbPath: string,
  opts: Omit<UpdateOptions, 'dbPath' | 'mirror'> = {},
): Promise<UpdateResult> {
  return updateDb({ ...opts, dbPath, mirror: path.resolve(mirrorDir) });
}
