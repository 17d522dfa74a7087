import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { BulwarkError } from '../../core/errors.js';
import { resolveLimits, type Limits } from '../../core/limits.js';
import { parseJson, readBounded } from '../digest.js';
import type { ImageSource } from '../types.js';
import { openDockerArchive } from './docker-archive.js';

export interface DaemonOptions {
  /** the DOCKER_HOST value: `unix:///var/run/docker.sock` (default) or `tcp://host:port` */
  dockerHost?: string;
  /** the export is downloaded into `<cacheDir>/tmp/` and removed when the source closes */
  cacheDir: string;
  limits?: Partial<Limits>;
  /** idle timeout per request, in milliseconds */
  timeoutMs?: number;
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

type Endpoint = { socketPath: string } | { host: string; port: number };

export function parseDockerHost(value: string | undefined): Endpoint {
  const v = value || DEFAULT_DOCKER_HOST;
  if (v.startsWith('unix://')) return { socketPath: v.slice('unix://'.length) };
  if (v.startsWith('tcp://') || v.startsWith('http://')) {
    const u = new URL(v.replace(/^tcp:/, 'http:'));
    return { host: u.hostname, port: u.port ? Number(u.port) : 2375 };
  }
  throw new BulwarkError('UNSUPPORTED', `unsupported DOCKER_HOST ${v} (use unix:// or tcp://)`, { input: v });
}

function request(
  ep: Endpoint,
  urlPath: string,
  timeoutMs: number,
  input: string,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...ep, path: urlPath, method: 'GET', headers: { host: 'docker' } }, resolve);
    req.setTimeout(timeoutMs, () =>
      req.destroy(
        new BulwarkError('DAEMON', `Docker daemon did not answer within ${timeoutMs} ms`, { input }),
      ),
    );
    req.on('error', reject);
    req.end();
  });
}

function daemonError(e: unknown, input: string): BulwarkError {
  if (e instanceof BulwarkError) return e;
  const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new BulwarkError('DAEMON', `Docker daemon: ${code}`, { input, cause: e });
}

export interface DaemonImageInfo {
  id: string;
  repoTags: string[];
  repoDigests: string[];
}

/**
 * Asks the daemon whether it has `ref` locally. Undefined when the daemon is unreachable (no socket,
 * refused) or says 404, so the caller can fall back to the registry; any other answer is DAEMON.
 */
export async function inspectDaemonImage(
  ref: string,
  opts: DaemonOptions,
): Promise<DaemonImageInfo | undefined> {
  const limits = resolveLimits(opts.limits);
  const ep = parseDockerHost(opts.dockerHost);
  let res: http.IncomingMessage;
  try {
    res = await request(ep, `/images/${encodeURIComponent(ref)}/json`, opts.timeoutMs ?? 10_000, ref);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'EACCES') return undefined;
    throw daemonError(e, ref);
  }
  if (res.statusCode === 404) {
    res.resume();
    return undefined;
  }
  const body = await readBounded(res, limits.maxManifestBytes, ref).catch((e) => {
    throw daemonError(e, ref);
  });
  if (res.statusCode !== 200) {
    throw new BulwarkError(
      'DAEMON',
      `Docker daemon answered ${res.statusCode}: ${body.toString('utf8', 0, 200)}`,
      {
        input: ref,
      },
    );
  }
  const info = parseJson(body, ref) as { Id?: unknown; RepoTags?: unknown; RepoDigests?: unknown } | null;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
  return {
    id: typeof info?.Id === 'string' ? info.Id : '',
    repoTags: strings(info?.RepoTags),
    repoDigests: strings(info?.RepoDigests),
  };
}

/**
 * The image from the Docker Engine API: `GET /images/{name}/get` streamed into a temp file inside
 * the cache dir (never elsewhere), then read as a docker-archive. close() removes the file.
 * Undefined when the daemon does not have the image or cannot be reached.
 */
export async function openDaemonImage(ref: string, opts: DaemonOptions): Promise<ImageSource | undefined> {
  const info = await inspectDaemonImage(ref, opts);
  if (!info) return undefined;
  const limits = resolveLimits(opts.limits);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const tmpDir = path.join(opts.cacheDir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const file = path.join(tmpDir, `daemon-${process.pid}-${randomBytes(6).toString('hex')}.tar`);
  const cleanup = (): Promise<void> => rm(file, { force: true });
  try {
    const res = await request(
      parseDockerHost(opts.dockerHost),
      `/images/${encodeURIComponent(ref)}/get`,
      timeoutMs,
      ref,
    );
    if (res.statusCode !== 200) {
      const body = await readBounded(res, 64 * 1024, ref).catch(() => Buffer.alloc(0));
      throw new BulwarkError(
        'DAEMON',
        `Docker daemon answered ${res.statusCode}: ${body.toString('utf8', 0, 200)}`,
        {
          input: ref,
        },
      );
    }
    // The export is a whole image: bound it like the layers it holds.
    const max = limits.maxLayerBytes;
    let total = 0;
    const bound = new Transform({
      transform(chunk: Buffer, _e, cb) {
        total += chunk.length;
        if (total > max)
          cb(new BulwarkError('LIMIT_EXCEEDED', `image export larger than ${max} bytes`, { input: ref }));
        else cb(null, chunk);
      },
    });
    await pipeline(res, bound, createWriteStream(file));
  } catch (e) {
    await cleanup();
    throw daemonError(e, ref);
  }
  try {
    const source = await openDockerArchive(file, { name: ref, onClose: cleanup, limits: opts.limits });
    const resolve = source.resolve.bind(source);
    return {
      ...source,
      name: ref,
      async resolve() {
        const img = await resolve();
        return {
          ...img,
          ...(info.repoTags.length ? { repoTags: info.repoTags } : {}),
          ...(info.repoDigests.length ? { repoDigests: info.repoDigests } : {}),
        };
      },
      openLayer: source.openLayer.bind(source),
      close: source.close.bind(source),
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
