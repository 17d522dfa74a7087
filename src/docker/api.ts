import http from 'node:http';
import { BulwarkError } from '../core/errors.js';
import { DEFAULT_DOCKER_HOST, parseDockerHost } from '../image/index.js';

export interface DockerApiOptions {
  /** the DOCKER_HOST value (`unix:///var/run/docker.sock` when unset) */
  dockerHost?: string;
  /** whole-request deadline in milliseconds: a daemon that accepts and never answers is an error */
  timeoutMs?: number;
  /** largest answer body accepted, in bytes */
  maxBytes?: number;
}

/** The host as findings and errors name it: `docker://unix:///var/run/docker.sock`. */
export function dockerHostLabel(dockerHost: string | undefined): string {
  return `docker://${dockerHost || DEFAULT_DOCKER_HOST}`;
}

/**
 * One read-only `GET` against the Docker Engine API, answered as parsed JSON. Every failure
 * (no socket, refused, hang, non-200, bad JSON, too large) is DAEMON naming the host and path.
 */
export function dockerGetJson(urlPath: string, opts: DockerApiOptions = {}): Promise<unknown> {
  const label = dockerHostLabel(opts.dockerHost);
  const input = `${label}${urlPath}`;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxBytes ?? 16 * 1024 * 1024;
  const ep = parseDockerHost(opts.dockerHost);
  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (message: string, cause?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      reject(new BulwarkError('DAEMON', message, { input, ...(cause ? { cause } : {}) }));
    };
    const req = http.request({ ...ep, path: urlPath, method: 'GET', headers: { host: 'docker' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > maxBytes) fail(`Docker daemon answer larger than ${maxBytes} bytes`);
        else chunks.push(c);
      });
      res.on('error', (e) => fail(`Docker daemon: ${e.message}`, e));
      res.on('end', () => {
        if (done) return;
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          fail(`Docker daemon answered ${res.statusCode}: ${body.slice(0, 200).trim()}`);
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          fail('Docker daemon answered with invalid JSON');
          return;
        }
        done = true;
        clearTimeout(timer);
        resolve(parsed);
      });
    });
    // a whole-request deadline, not an idle one: a daemon trickling bytes must not hold us forever
    const timer = setTimeout(() => fail(`Docker daemon did not answer within ${timeoutMs} ms`), timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => fail(`Docker daemon: ${e.code ?? e.message}`, e));
    req.end();
  });
}
