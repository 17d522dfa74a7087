/**
 * Reads a VEX document from a file or an http(s) URL, bounded in size and time. A bearer token
 * is sent only to a bulwark server's VEX route (`…/api/v1/vex`), never to another URL, and such a
 * request follows no redirect (the token must not travel on to another host).
 */
import { open } from 'node:fs/promises';
import { BulwarkError } from '../core/errors.js';
import { parseVex } from './read.js';
import { DEFAULT_VEX_LIMITS, type VexDocument, type VexLimits } from './types.js';

export interface LoadVexOptions extends VexLimits {
  /** sent as `Authorization: Bearer` to a bulwark server's /api/v1/vex */
  token?: string;
  timeoutMs?: number;
}

/** True for a URL a bulwark server's VEX export answers at. */
export function isServerVexUrl(u: URL): boolean {
  return /\/api\/v1\/vex\/?$/.test(u.pathname);
}

export async function loadVex(source: string, opts: LoadVexOptions = {}): Promise<VexDocument> {
  const max = opts.maxBytes ?? DEFAULT_VEX_LIMITS.maxBytes;
  if (/^https?:\/\//i.test(source)) return parseVex(await fetchBounded(source, max, opts), source, opts);
  let fh;
  try {
    fh = await open(source, 'r');
  } catch (e) {
    throw new BulwarkError(
      'INPUT_NOT_FOUND',
      `cannot read the VEX file: ${(e as NodeJS.ErrnoException).code}`,
      {
        input: source,
        cause: e,
      },
    );
  }
  try {
    const st = await fh.stat();
    if (!st.isFile())
      throw new BulwarkError('INPUT_NOT_FOUND', 'the VEX file is not a regular file', { input: source });
    if (st.size > max)
      throw new BulwarkError('LIMIT_EXCEEDED', `the VEX file is ${st.size} bytes, more than ${max}`, {
        input: source,
      });
    // read at most max + 1 bytes whatever the size said (a file growing under us)
    const buf = Buffer.alloc(Math.min(st.size, max) + 1);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    if (bytesRead > max)
      throw new BulwarkError('LIMIT_EXCEEDED', `the VEX file is more than ${max} bytes`, { input: source });
    return parseVex(buf.subarray(0, bytesRead), source, opts);
  } finally {
    await fh.close();
  }
}

async function fetchBounded(source: string, max: number, opts: LoadVexOptions): Promise<Buffer> {
  const url = new URL(source);
  if (url.username || url.password)
    throw new BulwarkError('USAGE', 'put the token in BULWARK_TOKEN, not in the --vex URL', {
      input: url.host,
    });
  const withToken = Boolean(opts.token) && isServerVexUrl(url);
  const shown = `${url.origin}${url.pathname}`;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: {
        accept: 'application/json',
        ...(withToken ? { authorization: `Bearer ${opts.token}` } : {}),
      },
      redirect: withToken ? 'error' : 'follow',
      signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new BulwarkError(
      'NETWORK',
      `cannot fetch the VEX document: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
      {
        input: shown,
        cause: e,
      },
    );
  }
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    const hint =
      res.status === 401 || res.status === 403
        ? isServerVexUrl(url)
          ? ' (set BULWARK_TOKEN to an API token with the read scope)'
          : ''
        : '';
    throw new BulwarkError(
      res.status === 401 || res.status === 403 ? 'CONFIG' : 'NETWORK',
      `fetching the VEX document answered HTTP ${res.status}${hint}`,
      {
        input: shown,
      },
    );
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new BulwarkError('LIMIT_EXCEEDED', `the VEX document is ${declared} bytes, more than ${max}`, {
      input: shown,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        await reader.cancel().catch(() => undefined);
        throw new BulwarkError('LIMIT_EXCEEDED', `the VEX document is more than ${max} bytes`, {
          input: shown,
        });
      }
      chunks.push(Buffer.from(value));
    }
  }
  return Buffer.concat(chunks);
}
