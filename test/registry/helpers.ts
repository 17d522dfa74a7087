// Shared helpers for the registry integration tests: a real `docker-registry` process and small
// real images (gzip tar layers, OCI config and manifest) built in code.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export const execFileP = promisify(execFile);

export function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `bulwark-${prefix}-`));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export { selfSignedCert } from '../helpers/tls.js';

export interface RunningRegistry {
  host: string;
  dir: string;
  stop(): Promise<void>;
}

/** Starts Debian's docker-registry (distribution 2.8) with optional `auth:` and extra `http:` YAML lines. */
export async function startRegistry(authYaml = '', httpYaml = ''): Promise<RunningRegistry> {
  const dir = await tempDir('registry');
  const port = await freePort();
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: bulwark-test-secret',
    httpYaml,
    authYaml,
  ].join('\n');
  await writeFile(path.join(dir, 'config.yml'), config);
  const child: ChildProcess = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) break;
    const status = await new Promise<number>((resolve) => {
      const req = http.get(`http://127.0.0.1:${port}/v2/`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(0));
    });
    // Any HTTP answer means it is up (a TLS-only registry answers plain HTTP with 400).
    if (status > 0) return { host: `127.0.0.1:${port}`, dir, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`docker-registry did not start: ${stderr}`);
}

export interface BuiltLayer {
  blob: Buffer;
  digest: string;
  diffId: string;
}

export interface BuiltImage {
  layers: BuiltLayer[];
  config: Buffer;
  configDigest: string;
  manifest: Buffer;
  manifestDigest: string;
  mediaType: string;
}

/** A tar of the given files, as a real layer would be. */
export async function makeTar(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  for (const [name, content] of Object.entries(files)) {
    pack.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/**
 * Builds an OCI (or Docker schema2) image: one gzip layer per file set, a config whose history
 * has an empty-layer entry between the layers, and the manifest.
 */
export async function buildImage(
  layerFiles: Record<string, string>[],
  opts: { architecture?: string; variant?: string; docker?: boolean } = {},
): Promise<BuiltImage> {
  const layers: BuiltLayer[] = [];
  for (const files of layerFiles) {
    const raw = await makeTar(files);
    const blob = gzipSync(raw);
    layers.push({ blob, digest: sha256(blob), diffId: sha256(raw) });
  }
  const history: { created_by: string; empty_layer?: boolean }[] = [];
  layers.forEach((_, i) => {
    history.push({ created_by: `/bin/sh -c #(nop) ADD layer-${i}` });
    history.push({ created_by: `/bin/sh -c #(nop) ENV STEP=${i}`, empty_layer: true });
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: opts.architecture ?? 'amd64',
      os: 'linux',
      ...(opts.variant ? { variant: opts.variant } : {}),
      config: { Env: ['PATH=/usr/bin'], User: 'app' },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history,
    }),
  );
  const configDigest = sha256(config);
  const mediaType = opts.docker
    ? 'application/vnd.docker.distribution.manifest.v2+json'
    : 'application/vnd.oci.image.manifest.v1+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: {
        mediaType: opts.docker
          ? 'application/vnd.docker.container.image.v1+json'
          : 'application/vnd.oci.image.config.v1+json',
        digest: configDigest,
        size: config.length,
      },
      layers: layers.map((l) => ({
        mediaType: opts.docker
          ? 'application/vnd.docker.image.rootfs.diff.tar.gzip'
          : 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: l.digest,
        size: l.blob.length,
      })),
    }),
  );
  return { layers, config, configDigest, manifest, manifestDigest: sha256(manifest), mediaType };
}

/** Writes an OCI image layout that skopeo can copy from (`oci:<dir>:<tag>`). */
export async function writeOciLayout(dir: string, image: BuiltImage, tag: string): Promise<void> {
  const blobs = path.join(dir, 'blobs', 'sha256');
  await mkdir(blobs, { recursive: true });
  const put = (digest: string, data: Buffer) =>
    writeFile(path.join(blobs, digest.slice('sha256:'.length)), data);
  for (const l of image.layers) await put(l.digest, l.blob);
  await put(image.configDigest, image.config);
  await put(image.manifestDigest, image.manifest);
  await writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  await writeFile(
    path.join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: image.mediaType,
          digest: image.manifestDigest,
          size: image.manifest.length,
          annotations: { 'org.opencontainers.image.ref.name': tag },
        },
      ],
    }),
  );
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}
