/**
 * A static HTTP server over a mirror folder, as a CDN or object store serves it: ETag and
 * Last-Modified validators, 304 answers to conditional requests, and a log of every request. Per-path
 * overrides let a test make one URL misbehave (500, 429, redirect loop, a stalled body).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

export interface LoggedRequest {
  path: string;
  status: number;
  conditional: boolean;
}

export type Override = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface MirrorServer {
  url: string;
  requests: LoggedRequest[];
  /** requests for `p`, optionally only those answered with `status` */
  count(p: string, status?: number): number;
  override(p: string, handler: Override | undefined): void;
  close(): Promise<void>;
}

export async function startMirrorServer(
  root: string,
  opts: { tls?: { key: string; cert: string } } = {},
): Promise<MirrorServer> {
  const requests: LoggedRequest[] = [];
  const overrides = new Map<string, Override>();
  const sockets = new Set<Socket>();

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const conditional = Boolean(req.headers['if-none-match'] || req.headers['if-modified-since']);
    res.on('finish', () => requests.push({ path: urlPath, status: res.statusCode, conditional }));
    const ov = overrides.get(urlPath);
    if (ov) {
      // Overrides may never finish; log them when they start.
      if (!res.writableEnded) requests.push({ path: urlPath, status: -1, conditional });
      ov(req, res);
      return;
    }
    void serveFile(root, urlPath, req, res);
  };
  const server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    requests,
    count: (p, status) =>
      requests.filter((r) => r.path === p && (status === undefined || r.status === status)).length,
    override: (p, h) => (h ? overrides.set(p, h) : overrides.delete(p)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function serveFile(
  root: string,
  urlPath: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const rel = path.normalize(urlPath).replace(/^[/\\]+/, '');
  if (rel.startsWith('..')) {
    res.writeHead(400).end();
    return;
  }
  const file = path.join(root, rel);
  let st;
  try {
    st = await stat(file);
  } catch {
    st = undefined;
  }
  if (!st || !st.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const etag = `"${st.size.toString(16)}-${Math.trunc(st.mtimeMs).toString(16)}"`;
  const lastModified = st.mtime.toUTCString();
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  const fresh = inm ? inm === etag : ims ? Date.parse(ims) >= Math.trunc(st.mtimeMs / 1000) * 1000 : false;
  if (fresh) {
    res.writeHead(304, { etag, 'last-modified': lastModified }).end();
    return;
  }
  res.writeHead(200, {
    etag,
    'last-modified': lastModified,
    'content-length': st.size,
    'content-type': 'application/octet-stream',
  });
  createReadStream(file).pipe(res);
}
