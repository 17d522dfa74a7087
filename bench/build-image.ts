/**
 * Builds the benchmark images as OCI layouts under bench/.work (never committed):
 *  - `image-oci`: a realistic application image of >= 5 layers and >= 300 MB uncompressed: a real
 *    Debian root filesystem made with debootstrap, plus a real node_modules tree (npm install of a
 *    set of popular tools, >= 1,000 packages), split over several layers.
 *  - `big-oci`: one 1.5 GB (uncompressed) layer of text-like content, for the peak-memory target.
 * Needs network access to Debian's mirror and the npm registry (bench only; never in tests).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

export const WORK = path.resolve(import.meta.dirname, '.work');
export const IMAGE_DIR = path.join(WORK, 'image-oci');
export const BIG_DIR = path.join(WORK, 'big-oci');
const MTIME = new Date('2024-01-01T00:00:00Z');

function log(msg: string): void {
  process.stderr.write(`[bench:build] ${msg}\n`);
}

/** Streams `paths` (relative to `root`) into a gzip tar blob in the layout; returns descriptor + diffId. */
async function writeLayer(
  layout: string,
  root: string,
  rels: string[],
): Promise<{ digest: string; diffId: string; size: number; rawSize: number }> {
  const pack = tar.pack();
  const diff = createHash('sha256');
  const comp = createHash('sha256');
  let size = 0;
  let rawSize = 0;
  const tmp = path.join(layout, 'blobs', 'sha256', `tmp-${process.pid}`);
  const tee = new PassThrough();
  pack.on('data', (c) => {
    diff.update(c as Buffer);
    rawSize += (c as Buffer).length;
  });
  const gz = createGzip({ level: 6 });
  gz.on('data', (c: Buffer) => {
    comp.update(c);
    size += c.length;
  });
  const done = pipeline(pack, tee, gz, createWriteStream(tmp));
  const add = async (rel: string): Promise<void> => {
    const abs = path.join(root, rel);
    const st = lstatSync(abs);
    const base = { name: rel, mtime: MTIME, mode: st.mode & 0o7777, uid: 0, gid: 0 };
    if (st.isDirectory()) {
      pack.entry({ ...base, name: `${rel}/`, type: 'directory' });
      for (const child of readdirSync(abs).sort()) await add(path.posix.join(rel, child));
    } else if (st.isSymbolicLink()) {
      pack.entry({ ...base, type: 'symlink', linkname: readlinkSync(abs) });
    } else if (st.isFile()) {
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry({ ...base, type: 'file', size: st.size }, (e) =>
          e ? reject(e) : resolve(),
        );
        createReadStream(abs).pipe(entry);
      });
    }
  };
  for (const rel of rels) if (existsSync(path.join(root, rel))) await add(rel);
  pack.finalize();
  await done;
  const digest = `sha256:${comp.digest('hex')}`;
  renameSync(tmp, path.join(layout, 'blobs', 'sha256', digest.slice(7)));
  return { digest, diffId: `sha256:${diff.digest('hex')}`, size, rawSize };
}

function writeBlob(layout: string, body: string): { digest: string; size: number } {
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  writeFileSync(path.join(layout, 'blobs', 'sha256', digest.slice(7)), body);
  return { digest, size: Buffer.byteLength(body) };
}

function finishLayout(
  layout: string,
  layers: { digest: string; diffId: string; size: number }[],
  history: string[],
): void {
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'], Cmd: ['node'] },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: history.map((h) => ({ created: MTIME.toISOString(), created_by: h })),
  });
  const cfg = writeBlob(layout, config);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...cfg },
    layers: layers.map((l) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: l.digest,
      size: l.size,
    })),
  });
  const man = writeBlob(layout, manifest);
  writeFileSync(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          ...man,
          annotations: { 'org.opencontainers.image.ref.name': 'latest' },
        },
      ],
    }),
  );
}

function countPackages(nodeModules: string): number {
  let n = 0;
  const walk = (dir: string): void => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.')) continue;
      const p = path.join(dir, name);
      if (name.startsWith('@')) {
        walk(p);
        continue;
      }
      if (existsSync(path.join(p, 'package.json'))) n++;
      walk(path.join(p, 'node_modules'));
    }
  };
  walk(nodeModules);
  return n;
}

export async function buildAppImage(): Promise<void> {
  if (existsSync(path.join(IMAGE_DIR, 'index.json'))) return;
  const rootfs = path.join(WORK, 'rootfs');
  if (!existsSync(path.join(rootfs, 'var/lib/dpkg/status'))) {
    log('debootstrap bookworm minbase (about a minute)');
    execFileSync('debootstrap', ['--variant=minbase', 'bookworm', rootfs, 'http://deb.debian.org/debian'], {
      stdio: 'inherit',
    });
  }
  const app = path.join(rootfs, 'srv', 'app');
  if (!existsSync(path.join(app, 'node_modules'))) {
    log('npm install of a real dependency tree into the root filesystem');
    mkdirSync(app, { recursive: true });
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'bench-app', version: '1.0.0', private: true }),
    );
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--engine-strict=false',
        '--legacy-peer-deps',
        'jest@29',
        'webpack@5',
        'webpack-cli@5',
        'eslint@8',
        '@babel/core@7',
        '@babel/preset-env@7',
        'typescript@5',
        'react-scripts@5',
        'express@4',
        'lodash@4',
      ],
      { cwd: app, stdio: 'inherit' },
    );
  }
  const pkgs = countPackages(path.join(app, 'node_modules'));
  log(`node_modules holds ${pkgs} packages`);
  if (pkgs < 1000) throw new Error(`benchmark image needs >= 1000 npm packages, got ${pkgs}`);
  rmSync(IMAGE_DIR, { recursive: true, force: true });
  mkdirSync(path.join(IMAGE_DIR, 'blobs', 'sha256'), { recursive: true });
  const top = readdirSync(rootfs).filter((n) => n !== 'srv' && n !== 'proc' && n !== 'sys' && n !== 'dev');
  const nm = readdirSync(path.join(app, 'node_modules')).sort();
  const third = Math.ceil(nm.length / 3);
  const plan: [string, string, string[]][] = [
    ['usr', 'ADD rootfs /usr', top.filter((n) => n === 'usr')],
    ['base', 'ADD rootfs /', top.filter((n) => n !== 'usr')],
    ['nm1', 'RUN npm ci (part 1)', nm.slice(0, third).map((n) => `srv/app/node_modules/${n}`)],
    ['nm2', 'RUN npm ci (part 2)', nm.slice(third, 2 * third).map((n) => `srv/app/node_modules/${n}`)],
    [
      'nm3',
      'RUN npm ci (part 3)',
      [
        'srv/app/package.json',
        'srv/app/package-lock.json',
        ...nm.slice(2 * third).map((n) => `srv/app/node_modules/${n}`),
      ],
    ],
  ];
  const layers = [];
  let total = 0;
  for (const [label, , rels] of plan) {
    const l = await writeLayer(IMAGE_DIR, rootfs, rels);
    total += l.rawSize;
    log(`layer ${label}: ${(l.rawSize / 1e6).toFixed(0)} MB raw, ${(l.size / 1e6).toFixed(0)} MB gzip`);
    layers.push(l);
  }
  log(`image: ${layers.length} layers, ${(total / 1e6).toFixed(0)} MB uncompressed`);
  if (total < 300e6) throw new Error(`benchmark image must be >= 300 MB uncompressed, got ${total}`);
  finishLayout(
    IMAGE_DIR,
    layers,
    plan.map((p) => p[1]),
  );
}

/** Deterministic text-like bytes: compresses roughly 3-4x, like real filesystem content. */
function textLike(bytes: number): Readable {
  const words =
    'the quick brown fox jumps over lazy dog lorem ipsum dolor sit amet consectetur adipiscing elit sed do'.split(
      ' ',
    );
  let left = bytes;
  let seed = 42;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const n = Math.min(left, 1 << 20);
      const b = Buffer.allocUnsafe(n);
      let i = 0;
      while (i < n) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        const w = words[seed % words.length]!;
        const s = seed % 7 === 0 ? `${w}${seed % 9973}\n` : `${w} `;
        i += b.write(s, i);
      }
      left -= n;
      this.push(b);
    },
  });
}

export async function buildBigImage(): Promise<void> {
  if (existsSync(path.join(BIG_DIR, 'index.json'))) return;
  rmSync(BIG_DIR, { recursive: true, force: true });
  mkdirSync(path.join(BIG_DIR, 'blobs', 'sha256'), { recursive: true });
  const src = path.join(WORK, 'big-src');
  mkdirSync(path.join(src, 'data'), { recursive: true });
  // 15 files of 100 MB: written once to disk, then packed like any other layer
  for (let i = 0; i < 15; i++) {
    const f = path.join(src, 'data', `blob-${i}.txt`);
    if (!existsSync(f)) await pipeline(textLike(100 * 1024 * 1024), createWriteStream(f));
  }
  mkdirSync(path.join(src, 'etc'), { recursive: true });
  writeFileSync(path.join(src, 'etc', 'os-release'), 'ID=debian\nVERSION_ID="12"\nNAME="Debian GNU/Linux"\n');
  const l = await writeLayer(BIG_DIR, src, ['etc', 'data']);
  log(`big layer: ${(l.rawSize / 1e6).toFixed(0)} MB raw, ${(l.size / 1e6).toFixed(0)} MB gzip`);
  finishLayout(BIG_DIR, [l], ['ADD big /']);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAppImage();
  await buildBigImage();
}
