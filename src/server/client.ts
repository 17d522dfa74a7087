/**
 * The CLI side of ingest: `bulwark image --server URL` posts the JSON report it made. Kept here,
 * beside the route it talks to, and free of fastify so the CLI loads only this file.
 */
import { BulwarkError } from '../core/errors.js';

export interface UploadResult {
  imageId: number;
  scanId: number;
  duplicate: boolean;
  findings: number;
  opened: number;
  fixed: number;
  reopened: number;
}

/** `http(s)://host[:port][/prefix]` → the reports endpoint; anything else is a USAGE error. */
export function reportsUrl(server: string): URL {
  let u: URL;
  try {
    u = new URL(server);
  } catch {
    throw new BulwarkError('USAGE', '--server takes an http:// or https:// URL', { input: server });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new BulwarkError('USAGE', '--server takes an http:// or https:// URL', { input: server });
  if (u.username || u.password)
    throw new BulwarkError('USAGE', 'put the token in BULWARK_TOKEN, not in the --server URL', {
      input: u.host,
    });
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/v1/reports`;
  u.search = '';
  u.hash = '';
  return u;
}

export async function uploadReport(opts: {
  server: string;
  token: string;
  /** the report as `--format json` writes it */
  body: string;
  timeoutMs?: number;
}): Promise<UploadResult> {
  const url = reportsUrl(opts.server);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
      body: opts.body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new BulwarkError(
      'NETWORK',
      `cannot upload the report: ${cause?.code ?? cause?.message ?? (e as Error).message}`,
      { input: url.origin, cause: e },
    );
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (res.status === 200 || res.status === 201) {
    if (!parsed || typeof (parsed as UploadResult).scanId !== 'number')
      throw new BulwarkError(
        'NETWORK',
        `the server accepted the report but answered no scan id (HTTP ${res.status})`,
        {
          input: url.origin,
        },
      );
    return parsed as UploadResult;
  }
  const err = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
  const why = err ? `${err.code}: ${err.message}` : text.slice(0, 200) || res.statusText;
  const hint =
    res.status === 401
      ? ' (set BULWARK_TOKEN to a valid API token)'
      : res.status === 403
        ? ' (the token needs the write scope and an analyst or admin user)'
        : '';
  throw new BulwarkError(
    res.status === 401 || res.status === 403 ? 'CONFIG' : 'NETWORK',
    `the server refused the report: HTTP ${res.status} ${why}${hint}`,
    { input: url.origin },
  );
}
