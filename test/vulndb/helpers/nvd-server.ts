/**
 * A local NVD CVE API 2.0 over the recorded records of test/fixtures/nvd: `resultsPerPage` /
 * `startIndex` paging with `totalResults`, `lastModStartDate`/`lastModEndDate` windows (both or
 * neither, at most 120 days apart, as NVD enforces with a 404), the `apiKey` header logged, and a
 * queue of scripted failures (403/429/503, garbled or oversized bodies) answered before real pages.
 * Also writes the same records as NVD JSON 2.0 feed files.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const NVD_FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/nvd/cves');

export interface NvdCve {
  id: string;
  lastModified: string;
  vulnStatus: string;
  metrics?: Record<string, unknown>;
  [k: string]: unknown;
}

/** The recorded `cve` objects, sorted by id. */
export function loadNvdRecords(): NvdCve[] {
  return readdirSync(NVD_FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(NVD_FIXTURES, f), 'utf8')) as NvdCve);
}

/** NVD's timestamps carry no zone: they are UTC. */
function nvdTime(s: string): number {
  return Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`);
}

/** The envelope NVD wraps around `vulnerabilities` in API pages and feed files alike. */
export function nvdDocument(cves: NvdCve[], startIndex = 0, totalResults = cves.length): unknown {
  return {
    resultsPerPage: cves.length,
    startIndex,
    totalResults,
    format: 'NVD_CVE',
    version: '2.0',
    timestamp: '2026-11-20T10:00:00.000',
    vulnerabilities: cves.map((cve) => ({ cve })),
  };
}

/** `dir/nvdcve-2.0-<name>.json.gz` per group, and a feeds.txt listing them. */
export function writeNvdFeeds(dir: string, groups: Record<string, NvdCve[]>, list = true): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (const [name, cves] of Object.entries(groups)) {
    const file = `nvdcve-2.0-${name}.json.gz`;
    writeFileSync(path.join(dir, file), gzipSync(JSON.stringify(nvdDocument(cves))));
    names.push(file);
  }
  if (list) writeFileSync(path.join(dir, 'feeds.txt'), `# NVD JSON 2.0 feeds\n${names.join('\n')}\n`);
  return names;
}

export interface NvdRequest {
  params: Record<string, string>;
  apiKey: string | undefined;
  status: number;
}

/** One scripted answer: a status (with an optional Retry-After) or a raw body. */
export type Scripted = { status: number; retryAfter?: string } | { body: string | Buffer };

export interface NvdServer {
  url: string;
  requests: NvdRequest[];
  /** answers for the next requests, in order, before the real pages */
  script(...answers: Scripted[]): void;
  /** records served from now on */
  setRecords(cves: NvdCve[]): void;
  /** pretend to ignore startIndex (a broken proxy) */
  ignoreStartIndex: boolean;
  close(): Promise<void>;
}

const MAX_WINDOW_MS = 120 * 24 * 60 * 60 * 1000;

export async function startNvdServer(records: NvdCve[] = loadNvdRecords()): Promise<NvdServer> {
  let cves = records;
  const queue: Scripted[] = [];
  const requests: NvdRequest[] = [];
  const sockets = new Set<Socket>();
  const state = { ignoreStartIndex: false };

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const params = Object.fromEntries(u.searchParams);
    const apiKey = typeof req.headers.apikey === 'string' ? req.headers.apikey : undefined;
    const log = (status: number) => requests.push({ params, apiKey, status });
    const next = queue.shift();
    if (next) {
      if ('body' in next) {
        log(200);
        res.writeHead(200, { 'content-type': 'application/json' }).end(next.body);
      } else {
        log(next.status);
        res
          .writeHead(next.status, next.retryAfter ? { 'retry-after': next.retryAfter } : {})
          .end('{"message":"scripted"}');
      }
      return;
    }
    if (u.pathname !== '/rest/json/cves/2.0') {
      log(404);
      res.writeHead(404).end();
      return;
    }
    const start = params.lastModStartDate;
    const end = params.lastModEndDate;
    let selected = cves;
    if (start !== undefined || end !== undefined) {
      const from = Date.parse(start ?? '');
      const to = Date.parse(end ?? '');
      // NVD: both dates are required together, and the range may not exceed 120 days
      if (Number.isNaN(from) || Number.isNaN(to) || to - from > MAX_WINDOW_MS || to < from) {
        log(404);
        res.writeHead(404, { message: 'Invalid date range' }).end();
        return;
      }
      selected = cves.filter((c) => {
        const t = nvdTime(c.lastModified);
        return t >= from && t <= to;
      });
    }
    const perPage = Math.min(2000, Number(params.resultsPerPage ?? 2000));
    const startIndex = state.ignoreStartIndex ? 0 : Number(params.startIndex ?? 0);
    const page = selected.slice(startIndex, startIndex + perPage);
    log(200);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify(nvdDocument(page, startIndex, selected.length)));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/rest/json/cves/2.0`,
    requests,
    script: (...answers) => queue.push(...answers),
    setRecords: (r) => {
      cves = r;
    },
    get ignoreStartIndex() {
      return state.ignoreStartIndex;
    },
    set ignoreStartIndex(v: boolean) {
      state.ignoreStartIndex = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A sleep that records what it was asked to wait and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}
