import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { BulwarkError } from '../core/errors.js';

export interface SendOptions {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  /** idle timeout per attempt, covering the response body too */
  timeoutMs: number;
  agent: http.Agent | https.Agent;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
  url: URL;
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** True for failures worth retrying: the peer dropped the connection mid-request. */
export function isConnectionReset(e: unknown): boolean {
  const code = (e as { code?: string } | undefined)?.code;
  const causeCode = ((e as { cause?: { code?: string } } | undefined)?.cause as { code?: string } | undefined)
    ?.code;
  return RESET_CODES.has(code ?? '') || RESET_CODES.has(causeCode ?? '') || /socket hang up/.test(String(e));
}

function networkError(e: unknown, url: URL): BulwarkError {
  if (e instanceof BulwarkError) return e;
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  return new BulwarkError('NETWORK', `${code ? `${code}: ` : ''}${message}`, { input: url.href, cause: e });
}

/** One HTTP exchange, no redirects or retries. Resolves once headers arrive; the body streams. */
export function send(opts: SendOptions): Promise<RawResponse> {
  const { url } = opts;
  const lib = url.protocol === 'https:' ? https : http;
  const agent = opts.agent;
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body) headers['content-length'] = String(opts.body.length);
    else if (opts.method === 'PUT' || opts.method === 'POST') headers['content-length'] = '0';
    const req = lib.request(url, { method: opts.method, headers, agent });
    req.setTimeout(opts.timeoutMs, () => {
      const err = new BulwarkError('NETWORK', `no response within ${opts.timeoutMs} ms`, { input: url.href });
      if (response) response.destroy(err);
      req.destroy(err);
    });
    req.on('error', (e) => {
      if (!response) reject(networkError(e, url));
    });
    req.on('response', (res) => {
      response = res;
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, url });
    });
    req.end(opts.body);
  });
}

/** Discards a body we do not need so the connection can be reused. */
export function drain(res: RawResponse): void {
  res.body.resume();
  res.body.on('error', () => {});
}

/** Reads a whole body, refusing more than `max` bytes (LIMIT_EXCEEDED) without buffering it all. */
export async function readBody(res: RawResponse, max: number, input: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    res.body.destroy();
    throw new BulwarkError('LIMIT_EXCEEDED', `response of ${declared} bytes exceeds the limit of ${max}`, {
      input,
    });
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > max) {
        res.body.destroy();
        throw new BulwarkError('LIMIT_EXCEEDED', `response exceeds the limit of ${max} bytes`, { input });
      }
      chunks.push(chunk);
    }
  } catch (e) {
    throw networkError(e, res.url);
  }
  return Buffer.concat(chunks, total);
}

export function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** True when plain HTTP is acceptable without `insecure`: the registry is this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
