/**
 * NVD CVE API 2.0 client: pages of `resultsPerPage` records by `startIndex`, optionally only the
 * CVEs modified in a window (`lastModStartDate`/`lastModEndDate`, at most 120 days each, as NVD
 * requires), with NVD's documented pace between requests (5 requests per rolling 30 s without an
 * API key, 50 with one) and retries with backoff when NVD answers 403 (rate limit), 429 or 5xx
 * (503 under load), honouring Retry-After.
 */
import { readFile, rm } from 'node:fs/promises';
import { BulwarkError } from '../core/errors.js';
import type { Progress } from '../core/progress.js';
import { fetchFeed, type FetchOptions } from './fetch.js';
import { MAX_NVD_PAGE_BYTES, parseNvdPage, type NvdEntry } from './nvd.js';

export const DEFAULT_NVD_API_URL = 'https://services.nvd.nist.gov/rest/json/cves/2.0';
/** NVD's largest page. */
export const NVD_MAX_RESULTS_PER_PAGE = 2000;
/** NVD's longest lastModified window. */
export const NVD_MAX_WINDOW_DAYS = 120;
const DAY_MS = 24 * 60 * 60 * 1000;
/** More than NVD will hold for years (about 300,000 CVEs in 2026). */
export const MAX_NVD_TOTAL_RESULTS = 5_000_000;

/** 30 s / 5 requests without a key, 30 s / 50 with one: the pause between two requests. */
export function nvdPageDelayMs(apiKey: string | undefined): number {
  return apiKey ? 600 : 6000;
}

export interface NvdApiOptions {
  url: string;
  apiKey?: string | undefined;
  /** only CVEs modified in [since, until]; every CVE when omitted */
  since?: Date | undefined;
  until: Date;
  resultsPerPage?: number;
  /** pause between requests; NVD's pace for the key (or its absence) when omitted */
  pageDelayMs?: number;
  destDir: string;
  fetch?: Pick<FetchOptions, 'timeoutMs' | 'retries' | 'retryBaseMs' | 'userAgent' | 'ca' | 'sleep'>;
  /** largest page accepted, in bytes (default MAX_NVD_PAGE_BYTES) */
  maxPageBytes?: number;
  progress: Progress;
  onEntry: (e: NvdEntry) => void;
  /** waits between requests and out backoffs (tests pass one that does not wait) */
  sleep?: (ms: number) => Promise<void>;
}

/** NVD's timestamp form, with an explicit UTC offset. */
function nvdDate(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

/** [since, until] cut into windows NVD accepts. */
export function nvdWindows(since: Date, until: Date): [Date, Date][] {
  const out: [Date, Date][] = [];
  let start = since.getTime();
  const end = until.getTime();
  if (start > end) return [[until, until]];
  while (start < end) {
    const stop = Math.min(end, start + NVD_MAX_WINDOW_DAYS * DAY_MS);
    out.push([new Date(start), new Date(stop)]);
    start = stop;
  }
  return out.length ? out : [[since, until]];
}

export async function fetchNvdApi(
  opts: NvdApiOptions,
): Promise<{ records: number; bad: number; pages: number }> {
  const perPage = Math.min(
    NVD_MAX_RESULTS_PER_PAGE,
    Math.max(1, opts.resultsPerPage ?? NVD_MAX_RESULTS_PER_PAGE),
  );
  const delay = opts.pageDelayMs ?? nvdPageDelayMs(opts.apiKey);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const windows: ([Date, Date] | undefined)[] = opts.since ? nvdWindows(opts.since, opts.until) : [undefined];
  let records = 0;
  let bad = 0;
  let pages = 0;
  for (const window of windows) {
    let start = 0;
    for (;;) {
      const url = new URL(opts.url);
      url.searchParams.set('resultsPerPage', String(perPage));
      url.searchParams.set('startIndex', String(start));
      if (window) {
        url.searchParams.set('lastModStartDate', nvdDate(window[0]));
        url.searchParams.set('lastModEndDate', nvdDate(window[1]));
      }
      if (pages > 0) await sleep(delay);
      const res = await fetchFeed(url.href, {
        retryBaseMs: Math.max(delay, 1),
        ...opts.fetch,
        destDir: opts.destDir,
        maxBytes: opts.maxPageBytes ?? MAX_NVD_PAGE_BYTES,
        retryStatuses: [403],
        sleep,
        ...(opts.apiKey ? { headers: { apiKey: opts.apiKey } } : {}),
      });
      pages += 1;
      if (res.status !== 'fetched')
        throw new BulwarkError('FEED', 'unexpected 304 from the NVD API', { input: url.href });
      let text: string;
      try {
        text = await readFile(res.file, 'utf8');
      } finally {
        if (res.temporary) await rm(res.file, { force: true });
      }
      const page = parseNvdPage(text, url.href);
      // NVD holds a few hundred thousand CVEs: a far larger total is a broken or hostile server
      if (page.totalResults > MAX_NVD_TOTAL_RESULTS)
        throw new BulwarkError('LIMIT_EXCEEDED', `NVD API claims ${page.totalResults} results`, {
          input: url.href,
        });
      // a server that ignores startIndex would hand out the same page for ever
      if (page.startIndex !== start)
        throw new BulwarkError('FEED', `NVD API answered startIndex ${page.startIndex} to ${start}`, {
          input: url.href,
        });
      for (const e of page.entries) opts.onEntry(e);
      records += page.entries.length;
      bad += page.bad;
      const seen = page.entries.length + page.bad;
      opts.progress.update('nvd: reading the CVE API', start + seen, page.totalResults);
      start += seen;
      if (seen === 0 || start >= page.totalResults) break;
    }
  }
  return { records, bad, pages };
}
