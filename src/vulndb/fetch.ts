/**
 * Feed fetcher: HTTP(S) GET with conditional requests, bounded redirects, idle timeouts, retries with
 * backoff, and the body streamed to a temp file in a directory the caller names (the database's
 * directory, so nothing lands elsewhere). `file://` URLs and plain paths serve air-gapped mirrors.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BulwarkError } from '../core/errors.js';
import { DEFAULT_LIMITS } from '../core/limits.js';

export interface FetchOptions {
  /** directory the temp file is written into; the caller removes the file after use */
  destDir: string;
  /** validators from the previous fetch: a match answers `not-modified` */
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** largest body accepted, in bytes */
  maxBytes?: number;
  /** idle timeout per attempt, in milliseconds */
  timeoutMs?: number;
  /** further attempts after a 429/5xx or a dropped connection */
  retries?: number;
  /** first backoff delay; doubles per attempt */
  retryBaseMs?: number;
  maxRedirects?: number;
  userAgent?: string;
  /** extra trusted CA certificates (PEM) for HTTPS mirrors behind a private CA */
  ca?: string | Buffer;
  /** extra request headers (an API key) */
  headers?: Record<string, string>;
  /**
   * statuses retried with backoff besides 429 and 5xx: NVD answers 403 when a client exceeds its
   * rate limit
   */
  retryStatuses?: readonly number[];
  /** waits out a backoff (tests pass a clock that does not wait) */
  sleep?: (ms: number) => Promise<void>;
}

export type FetchResult =
  | { status: 'not-modified'; url: string }
  | {
      status: 'fetched';
      /** the URL finally read (after redirects) */
      url: string;
      file: string;
      /** true when `file` is a temp file the caller must remove */
      temporary: boolean;
      bytes: number;
      etag?: string;
      lastModified?: string;
    };

/** The feed does not exist at that URL (404/410, missing file): optional feeds only warn. */
export class FeedMissingError extends BulwarkError {
  constructor(message: string, input: string) {
    super('FEED', message, { input });
  }
}

export const DEFAULT_FEED_MAX_BYTES = 2 * 1024 * 1024 * 1024;
const MAX_RETRY_AFTER_MS = 30_000;

export function isLocalSource(source: string): boolean {
  return source.startsWith('file:') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(source);
}

/** Joins a mirror base (URL or path) and a relative feed path. */
export function joinSource(base: string, rel: string): string {
  if (isLocalSource(base)) {
    if (base.startsWith('file:')) return new URL(rel, base.endsWith('/') ? base : `${base}/`).href;
    return path.join(base, ...rel.split('/'));
  }
  const encoded = rel
    .split('/')
    .map((p) => encodeURIComponent(p))
    .join('/');
  return new URL(encoded, base.endsWith('/') ? base : `${base}/`).href;
}

export async function fetchFeed(source: string, opts: FetchOptions): Promise<FetchResult> {
  if (isLocalSource(source)) return fetchLocal(source, opts);
  return fetchHttp(source, opts);
}

async function fetchLocal(source: string, opts: FetchOptions): Promise<FetchResult> {
  let file: string;
  try {
    file = source.startsWith('file:') ? fileURLToPath(source) : path.resolve(source);
  } catch (e) {
    throw new BulwarkError('FEED', 'not a usable file URL', { input: source, cause: e });
  }
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new FeedMissingError('feed file does not exist', source);
    throw new BulwarkError('FEED', `cannot read feed file (${code ?? 'error'})`, { input: source, cause: e });
  }
  if (!st.isFile()) throw new BulwarkError('FEED', 'feed path is not a regular file', { input: source });
  const maxBytes = opts.maxBytes ?? DEFAULT_FEED_MAX_BYTES;
  if (st.size > maxBytes)
    throw new BulwarkError('LIMIT_EXCEEDED', `feed is ${st.size} bytes, limit ${maxBytes}`, {
      input: source,
    });
  // A local mirror has no HTTP validators; size + mtime play the ETag's part.
  const etag = `"local-${st.size}-${Math.trunc(st.mtimeMs)}"`;
  const lastModified = st.mtime.toUTCString();
  if (opts.etag !== undefined && opts.etag === etag) return { status: 'not-modified', url: source };
  return { status: 'fetched', url: source, file, temporary: false, bytes: st.size, etag, lastModified };
}

interface Attempt {
  kind: 'done' | 'redirect' | 'retry';
  result?: FetchResult;
  location?: string;
  retryAfterMs?: number;
  error?: BulwarkError;
}

async function fetchHttp(source: string, opts: FetchOptions): Promise<FetchResult> {
  const maxRedirects = opts.maxRedirects ?? DEFAULT_LIMITS.maxRedirects;
  const retries = opts.retries ?? 3;
  const base = opts.retryBaseMs ?? 500;
  let url = source;
  let redirects = 0;
  let attempt = 0;
  for (;;) {
    const a = await attemptHttp(url, source, opts);
    if (a.kind === 'done') return a.result!;
    if (a.kind === 'redirect') {
      redirects += 1;
      if (redirects > maxRedirects)
        throw new BulwarkError('FEED', `more than ${maxRedirects} redirects`, { input: source });
      url = a.location!;
      continue;
    }
    attempt += 1;
    if (attempt > retries) throw a.error!;
    const delay = Math.min(a.retryAfterMs ?? base * 2 ** (attempt - 1), MAX_RETRY_AFTER_MS);
    await (opts.sleep ?? realSleep)(delay);
  }
}

function realSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function parseRetryAfter(v: string | undefined): number | undefined {
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function tempName(dir: string): string {
  return path.join(dir, `.bulwark-feed-${process.pid}-${randomBytes(6).toString('hex')}`);
}

function attemptHttp(url: string, source: string, opts: FetchOptions): Promise<Attempt> {
  const maxBytes = opts.maxBytes ?? DEFAULT_FEED_MAX_BYTES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LIMITS.httpTimeoutMs;
  const parsed = new URL(url);
  const client = parsed.protocol === 'https:' ? https : parsed.protocol === 'http:' ? http : undefined;
  if (!client)
    return Promise.reject(
      new BulwarkError('FEED', `unsupported URL scheme ${parsed.protocol}`, { input: source }),
    );
  const headers: Record<string, string> = {
    // an API key goes to the origin it was meant for, never along a redirect to another host
    ...(opts.headers && parsed.origin === new URL(source).origin ? opts.headers : {}),
    'user-agent': opts.userAgent ?? 'bulwark-db',
    'accept-encoding': 'identity',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;

  return new Promise<Attempt>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
    };
    const networkRetry = (e: Error & { code?: string }): void => {
      const err = new BulwarkError('NETWORK', `${e.code ?? 'network error'}: ${e.message}`, {
        input: source,
        cause: e,
      });
      // A refused connection or unknown host will not heal within a backoff: fail fast.
      const permanent = e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN';
      finish(() => (permanent ? reject(err) : resolve({ kind: 'retry', error: err })));
    };
    const req = client.get(
      parsed,
      { headers, ...(opts.ca && parsed.protocol === 'https:' ? { ca: opts.ca } : {}) },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400 && status !== 304) {
          res.resume();
          const loc = res.headers.location;
          if (!loc)
            return finish(() =>
              reject(new BulwarkError('FEED', `HTTP ${status} without Location`, { input: source })),
            );
          let next: URL;
          try {
            next = new URL(loc, parsed);
          } catch (e) {
            return finish(() =>
              reject(new BulwarkError('FEED', 'bad redirect Location', { input: source, cause: e })),
            );
          }
          if (next.protocol !== 'https:' && next.protocol !== 'http:')
            return finish(() =>
              reject(new BulwarkError('FEED', `redirect to ${next.protocol} refused`, { input: source })),
            );
          if (parsed.protocol === 'https:' && next.protocol === 'http:')
            return finish(() =>
              reject(new BulwarkError('FEED', 'redirect from https to http refused', { input: source })),
            );
          return finish(() => resolve({ kind: 'redirect', location: next.href }));
        }
        if (status === 304) {
          res.resume();
          if (!opts.etag && !opts.lastModified)
            return finish(() =>
              reject(new BulwarkError('FEED', 'HTTP 304 to an unconditional request', { input: source })),
            );
          return finish(() => resolve({ kind: 'done', result: { status: 'not-modified', url } }));
        }
        if (status === 404 || status === 410) {
          res.resume();
          return finish(() => reject(new FeedMissingError(`HTTP ${status}`, source)));
        }
        if (status === 429 || status >= 500 || opts.retryStatuses?.includes(status)) {
          res.resume();
          const error = new BulwarkError('FEED', `HTTP ${status}`, { input: source });
          return finish(() =>
            resolve({ kind: 'retry', error, retryAfterMs: parseRetryAfter(res.headers['retry-after']) }),
          );
        }
        if (status !== 200) {
          res.resume();
          return finish(() => reject(new BulwarkError('FEED', `HTTP ${status}`, { input: source })));
        }
        const declared = Number(res.headers['content-length'] ?? NaN);
        if (Number.isFinite(declared) && declared > maxBytes) {
          res.destroy();
          return finish(() =>
            reject(
              new BulwarkError('LIMIT_EXCEEDED', `feed is ${declared} bytes, limit ${maxBytes}`, {
                input: source,
              }),
            ),
          );
        }
        const file = tempName(opts.destDir);
        const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
        let bytes = 0;
        let failing = false;
        const fail = (err: BulwarkError | null, retryErr?: Error & { code?: string }): void => {
          // the first cause wins: destroying the response below emits 'aborted' as well
          if (failing) return;
          failing = true;
          res.destroy();
          out.destroy();
          void rm(file, { force: true }).finally(() => {
            if (retryErr) networkRetry(retryErr);
            else finish(() => reject(err));
          });
        };
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            fail(new BulwarkError('LIMIT_EXCEEDED', `feed exceeds ${maxBytes} bytes`, { input: source }));
            return;
          }
          if (!out.write(chunk)) {
            res.pause();
            out.once('drain', () => res.resume());
          }
        });
        res.on('aborted', () =>
          fail(null, Object.assign(new Error('connection closed mid-body'), { code: 'ECONNRESET' })),
        );
        res.on('error', (e) => fail(null, e));
        out.on('error', (e) =>
          fail(new BulwarkError('FEED', `cannot write temp file: ${e.message}`, { input: source, cause: e })),
        );
        res.on('end', () => {
          if (settled) return;
          if (Number.isFinite(declared) && bytes !== declared) {
            fail(
              null,
              Object.assign(new Error(`body ended after ${bytes} of ${declared} bytes`), {
                code: 'ECONNRESET',
              }),
            );
            return;
          }
          out.end(() => {
            const etag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
            const lastModified = res.headers['last-modified'];
            finish(() =>
              resolve({
                kind: 'done',
                result: {
                  status: 'fetched',
                  url,
                  file,
                  temporary: true,
                  bytes,
                  ...(etag ? { etag } : {}),
                  ...(lastModified ? { lastModified } : {}),
                },
              }),
            );
          });
        });
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy(Object.assign(new Error(`no data for ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    });
    req.on('error', (e: Error & { code?: string }) => networkRetry(e));
  });
}
