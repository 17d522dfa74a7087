import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A Docker Engine API stand-in on a unix socket in a temp dir (no engine runs here): it answers
 * GET paths from a table with the real wire format (JSON bodies, the Api-Version header) and can
 * hang on chosen paths. `calls` records what was asked, so tests can assert read-only use.
 */
export interface FakeDaemon {
  dockerHost: string;
  calls: string[];
  close(): Promise<void>;
}

export async function startFakeDaemon(
  routes: Record<string, unknown>,
  opts: { hang?: (p: string) => boolean; status?: Record<string, number> } = {},
): Promise<FakeDaemon> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-fake-docker-'));
  const socketPath = path.join(dir, 'docker.sock');
  const calls: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const p = req.url ?? '/';
    calls.push(`${req.method} ${p}`);
    if (opts.hang?.(p)) return; // never answers
    const body = routes[p.replace(/^\/v1\.\d+/, '')];
    const status = opts.status?.[p] ?? (body === undefined ? 404 : 200);
    const payload = status === 200 ? body : { message: `No such container: ${p.split('/')[2] ?? ''}` };
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Api-Version': '1.47',
      Server: 'Docker/27.4.1 (linux)',
    });
    res.end(JSON.stringify(payload));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    dockerHost: `unix://${socketPath}`,
    calls,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
