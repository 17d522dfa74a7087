/**
 * The rating feeds of `db update`: NVD's CVSS (the CVE API 2.0 with increments, or NVD's JSON 2.0
 * feed files) and the Debian security tracker's urgencies. Like KEV and EPSS they enrich findings,
 * so an unavailable source warns and keeps the previous copy; it never fails the update.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { BulwarkError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { readDebianTracker } from './debian-tracker.js';
import {
  fetchFeed,
  FeedMissingError,
  isLocalSource,
  joinSource,
  type FetchOptions,
  type FetchResult,
} from './fetch.js';
import { DEFAULT_NVD_API_URL, fetchNvdApi } from './nvd-api.js';
import { readNvdDocument } from './nvd.js';
import type { SourceInfo } from './open.js';
import { dbWriteError, type DbBuilder, type SourceMeta } from './store.js';

export const DEFAULT_DEBIAN_TRACKER_URL = 'https://security-tracker.debian.org/tracker/data/json';
/** NVD's own JSON 2.0 feed files (`nvdcve-2.0-<year>.json.gz`, `nvdcve-2.0-modified.json.gz`). */
export const DEFAULT_NVD_FEEDS_URL = 'https://nvd.nist.gov/feeds/json/cve/2.0/';
const FIRST_NVD_FEED_YEAR = 2002;
const FEED_FILE = /^nvdcve-2\.0-[a-z0-9]+\.json(?:\.gz)?$/;

export interface NvdUpdateOptions {
  /**
   * contact the NVD CVE API (opt-in: a first run without a key takes about 15 minutes at NVD's
   * pace). Without it, NVD data comes from `feeds` or a mirror's `nvd/` folder, else the previous
   * database's NVD rows are kept as they are.
   */
  api?: boolean;
  /** the CVE API 2.0 endpoint (default NVD's); ignored when `feeds` is set; implies `api` */
  apiUrl?: string;
  /** sent as the `apiKey` header; raises NVD's pace from 5 to 50 requests per 30 s */
  apiKey?: string;
  /**
   * NVD JSON 2.0 feed files instead of the API: a directory, or a URL whose `feeds.txt` lists the
   * files (without one, NVD's own names for 2002 to this year and `modified`)
   */
  feeds?: string;
  resultsPerPage?: number;
  /** pause between API requests; NVD's documented pace when omitted */
  pageDelayMs?: number;
  /** largest API page accepted, in bytes */
  maxPageBytes?: number;
  sleep?: (ms: number) => Promise<void>;
}

type Load = (res: Extract<FetchResult, { status: 'fetched' }>) => Promise<{ records: number; bad: number }>;

/** What `updateDb` lends the rating feeds. */
export interface RatingContext {
  builder: DbBuilder;
  /** the database being replaced (rows of unchanged sources are copied from it) */
  dbPath: string;
  dir: string;
  prev: Map<string, SourceInfo> | undefined;
  now: () => Date;
  warn: (m: string) => void;
  progress: Progress;
  fetch:
    Pick<FetchOptions, 'timeoutMs' | 'retries' | 'retryBaseMs' | 'userAgent' | 'ca' | 'sleep'> | undefined;
  sources: (SourceMeta & { status: 'downloaded' | 'unchanged' | 'kept' | 'missing' })[];
  /** one optional feed file: downloaded, copied when unchanged, kept or missing when unavailable */
  runOptional: (name: string, kind: 'nvd' | 'vendor', url: string, load: Load) => Promise<void>;
}

export async function updateDebianTracker(ctx: RatingContext, url: string): Promise<void> {
  await ctx.runOptional('debian-tracker', 'vendor', url, (res) =>
    readDebianTracker(res.file, url, (r) => ctx.builder.addVendor('debian-tracker', r)),
  );
}

async function listedFeeds(
  base: string,
  ctx: RatingContext,
  explicit: boolean,
): Promise<string[] | undefined> {
  const listUrl = joinSource(base, 'feeds.txt');
  try {
    const res = await fetchFeed(listUrl, { ...ctx.fetch, destDir: ctx.dir, maxBytes: 1024 * 1024 });
    if (res.status !== 'fetched') return undefined;
    let text: string;
    try {
      text = await readFile(res.file, 'utf8');
    } finally {
      if (res.temporary) await rm(res.file, { force: true });
    }
    const names = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const n of names)
      if (!FEED_FILE.test(n)) ctx.warn(`nvd feeds.txt: ignoring ${JSON.stringify(n.slice(0, 80))}`);
    return names.filter((n) => FEED_FILE.test(n));
  } catch (e) {
    if (!(e instanceof FeedMissingError)) throw e;
  }
  if (isLocalSource(base) && !base.startsWith('file:')) {
    try {
      return (await readdir(base)).filter((n) => FEED_FILE.test(n));
    } catch {
      return undefined;
    }
  }
  if (!explicit) return undefined;
  const years: string[] = [];
  for (let y = FIRST_NVD_FEED_YEAR; y <= ctx.now().getUTCFullYear(); y++)
    years.push(`nvdcve-2.0-${y}.json.gz`);
  return [...years, 'nvdcve-2.0-modified.json.gz'];
}

/** Yearly files first, then `recent`/`modified`: the newest record of a CVE wins either way. */
function feedOrder(a: string, b: string): number {
  const rank = (n: string) => (/-\d{4}\.json/.test(n) ? 0 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export async function updateNvdFeeds(ctx: RatingContext, base: string, explicit: boolean): Promise<void> {
  const files = await listedFeeds(base, ctx, explicit).catch((e: unknown) => {
    ctx.warn(`nvd feeds unavailable (${dbWriteError(e, base).toDisplayString()}); continuing without them`);
    return [] as string[];
  });
  if (files === undefined) {
    if (!explicit && [...(ctx.prev?.values() ?? [])].some((s) => s.kind === 'nvd')) {
      ctx.warn(`nvd feeds unavailable (no feeds.txt under ${base}); keeping the previous NVD ratings`);
      keepPreviousNvd(ctx);
      return;
    }
    ctx.warn(`nvd feeds unavailable (no feeds.txt under ${base}); findings get no NVD rating`);
    ctx.sources.push({
      name: 'nvd',
      kind: 'nvd',
      url: base,
      fetchedAt: ctx.now().toISOString(),
      records: 0,
      badRecords: 0,
      status: 'missing',
    });
    return;
  }
  for (const file of [...new Set(files)].sort(feedOrder)) {
    const name = `nvd:${file}`;
    const url = joinSource(base, file);
    await ctx.runOptional(name, 'nvd', url, async (res) => {
      ctx.progress.update(`${name}: reading`);
      return readNvdDocument(res.file, url, (e) => ctx.builder.addNvd(name, e));
    });
  }
}

/**
 * The CVE API: every CVE on the first run, then only the CVEs modified since the previous run
 * (its start time is kept as the source's `lastModified`), on top of the previous rows.
 */
export async function updateNvdApi(ctx: RatingContext, o: NvdUpdateOptions): Promise<void> {
  const url = o.apiUrl ?? DEFAULT_NVD_API_URL;
  const name = 'nvd';
  const prevSrc = ctx.prev?.get(name);
  const usable = prevSrc && prevSrc.url === url && prevSrc.lastModified ? prevSrc : undefined;
  const since = usable ? new Date(usable.lastModified!) : undefined;
  const until = ctx.now();
  if (usable) ctx.builder.copySource(ctx.dbPath, { ...usable, kind: 'nvd' } as SourceMeta);
  try {
    ctx.builder.begin();
    const out = await fetchNvdApi({
      url,
      apiKey: o.apiKey,
      since: since && !Number.isNaN(since.getTime()) ? since : undefined,
      until,
      ...(o.resultsPerPage ? { resultsPerPage: o.resultsPerPage } : {}),
      ...(o.pageDelayMs !== undefined ? { pageDelayMs: o.pageDelayMs } : {}),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      ...(o.maxPageBytes ? { maxPageBytes: o.maxPageBytes } : {}),
      destDir: ctx.dir,
      fetch: ctx.fetch,
      progress: ctx.progress,
      onEntry: (e) => ctx.builder.addNvd(name, e),
    });
    const meta: SourceMeta = {
      name,
      kind: 'nvd',
      url,
      lastModified: until.toISOString(),
      fetchedAt: ctx.now().toISOString(),
      records: ctx.builder.nvdRows(name),
      badRecords: out.bad,
    };
    ctx.builder.setSource(meta);
    ctx.builder.commit();
    ctx.sources.push({ ...meta, status: usable && out.records === 0 ? 'unchanged' : 'downloaded' });
  } catch (e) {
    ctx.builder.rollback();
    const err = e instanceof BulwarkError ? e : dbWriteError(e, url);
    if (err.code === 'DATABASE') throw err;
    if (usable) {
      ctx.warn(
        `nvd API unavailable (${err.toDisplayString()}); keeping the copy fetched ${usable.fetchedAt}`,
      );
      ctx.sources.push({ ...(usable as SourceMeta), kind: 'nvd', status: 'kept' });
    } else {
      ctx.warn(`nvd API unavailable (${err.toDisplayString()}); findings get no NVD rating`);
      ctx.sources.push({
        name,
        kind: 'nvd',
        url,
        fetchedAt: ctx.now().toISOString(),
        records: 0,
        badRecords: 0,
        status: 'missing',
      });
    }
  }
}

/**
 * NVD not asked for this run (no API opt-in, no feeds, no mirror): the previous database's NVD rows
 * stay as they were, so a plain `db update` never contacts NVD and never drops its ratings.
 */
export function keepPreviousNvd(ctx: RatingContext): void {
  for (const src of ctx.prev?.values() ?? []) {
    if (src.kind !== 'nvd') continue;
    const meta = { ...src, kind: 'nvd' } as SourceMeta;
    ctx.builder.copySource(ctx.dbPath, meta);
    ctx.sources.push({ ...meta, status: 'kept' });
  }
}
