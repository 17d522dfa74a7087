/**
 * Peak memory while inventorying a ~200 MB fat jar with nested jars (issue target: under 200 MB), in
 * a root filesystem and in an image layer, with default limits: the Java analyzer reads large
 * archives by offset. Each runs in its own process (bench/child.ts) so maxRSS is that scan's
 * alone; the jar is built by `zip` and `head` in subprocesses so building it costs this process
 * nothing. Nested jars are
 * Debian's real jars from /usr/share/java, stored uncompressed as Spring Boot does, next to
 * deflated incompressible "classes" that the analyzer must skip without inflating.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { openInputPath, scanImageInventory, scanRootfsInventory } from '../src/image/index.js';
import { createJavaAnalyzer } from '../src/inventory/analyzers/java.js';
import { osEcosystem } from '../src/inventory/index.js';
import { WORK } from './build-image.js';
import type { BenchResult } from './run.js';

const ROOT = path.join(WORK, 'java-jar');
const JAR = path.join(ROOT, 'rootfs', 'opt', 'app', 'app.jar');
const TARGET_BYTES = 200 * 1024 * 1024;
const BOUND_MB = 200;

function sh(cmd: string, args: string[], cwd?: string): void {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Builds the fat jar once (cached under bench/.work); returns the number of nested jars. */
export function buildFatJar(): number {
  const marker = path.join(ROOT, 'nested-count');
  if (existsSync(JAR) && existsSync(marker))
    return Number(execFileSync('cat', [marker], { encoding: 'utf8' }));
  rmSync(ROOT, { recursive: true, force: true });
  const stage = path.join(ROOT, 'stage');
  const lib = path.join(stage, 'BOOT-INF', 'lib');
  const classes = path.join(stage, 'BOOT-INF', 'classes');
  mkdirSync(lib, { recursive: true });
  mkdirSync(classes, { recursive: true });
  mkdirSync(path.dirname(JAR), { recursive: true });
  const real = [
    ...new Set(
      readdirSync('/usr/share/java')
        .filter((f) => f.endsWith('.jar'))
        .map((f) => realpathSync(path.join('/usr/share/java', f))),
    ),
  ].sort();
  // Eight copies of every real jar (~90 MB), as if eight services were shaded together.
  let nested = 0;
  for (let copy = 0; copy < 8; copy++) {
    for (const f of real) {
      copyFileSync(f, path.join(lib, `c${copy}-${path.basename(f)}`));
      nested++;
    }
  }
  // a jar in a jar, as Spring Boot loaders and EAR modules make
  const wrap = path.join(ROOT, 'wrap');
  mkdirSync(path.join(wrap, 'lib'), { recursive: true });
  copyFileSync(real[0]!, path.join(wrap, 'lib', path.basename(real[0]!)));
  sh('zip', ['-qr', path.join(lib, 'wrapper-1.0.jar'), 'lib'], wrap);
  nested += 2;
  const pom = path.join(stage, 'META-INF', 'maven', 'com.example', 'fat-app');
  mkdirSync(pom, { recursive: true });
  writeFileSync(path.join(pom, 'pom.properties'), 'groupId=com.example\nartifactId=fat-app\nversion=1.0.0\n');
  let size = 0;
  for (const f of readdirSync(lib)) size += statSync(path.join(lib, f)).size;
  // incompressible class data up to ~200 MB, deflated by zip (it stays the same size)
  for (let i = 0; size < TARGET_BYTES - 1024 * 1024; i++) {
    const n = Math.min(4 * 1024 * 1024, TARGET_BYTES - size);
    sh('sh', ['-c', `head -c ${n} /dev/urandom > ${path.join(classes, `blob${i}.class`)}`]);
    size += n;
  }
  sh('zip', ['-qr', JAR, 'META-INF', 'BOOT-INF/classes'], stage);
  sh('zip', ['-qr0', JAR, 'BOOT-INF/lib'], stage);
  rmSync(stage, { recursive: true, force: true });
  rmSync(wrap, { recursive: true, force: true });
  writeFileSync(marker, String(nested));
  return nested;
}

const OCI = path.join(ROOT, 'oci');

function sha256File(file: string): string {
  return execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0]!;
}

/**
 * The rootfs as a one-layer OCI image (gzip by `tar` and `gzip` in subprocesses, so building it
 * costs this process nothing); cached under bench/.work.
 */
function buildFatJarImage(): void {
  if (existsSync(path.join(OCI, 'index.json'))) return;
  rmSync(OCI, { recursive: true, force: true });
  const blobs = path.join(OCI, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const layerTar = path.join(ROOT, 'layer.tar');
  sh('tar', ['-C', path.join(ROOT, 'rootfs'), '-cf', layerTar, 'opt']);
  const diffId = sha256File(layerTar);
  sh('gzip', ['-1', '-f', layerTar]);
  const gz = `${layerTar}.gz`;
  const layerDigest = sha256File(gz);
  const layerSize = statSync(gz).size;
  execFileSync('mv', [gz, path.join(blobs, layerDigest)]);
  const put = (json: unknown): { digest: string; size: number } => {
    const body = Buffer.from(JSON.stringify(json));
    const file = path.join(ROOT, 'blob.json');
    writeFileSync(file, body);
    const digest = sha256File(file);
    execFileSync('mv', [file, path.join(blobs, digest)]);
    return { digest: `sha256:${digest}`, size: body.length };
  };
  const config = put({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
  });
  const manifest = put({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [
      {
        mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
        digest: `sha256:${layerDigest}`,
        size: layerSize,
      },
    ],
  });
  writeFileSync(path.join(OCI, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    path.join(OCI, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }],
    }),
  );
}

function result(where: string, peakMb: number, beforeRss: number, found: number, ms: number): BenchResult {
  return {
    name: 'java-jar',
    metric: `peak RSS inventorying a ${(statSync(JAR).size / 1e6).toFixed(0)} MB fat jar, ${where} (bound ${BOUND_MB} MB)`,
    value: peakMb,
    baseline: beforeRss / 1e6,
    ratio: peakMb / BOUND_MB,
    target: 1,
    unit: 'MB',
    pass: peakMb < BOUND_MB,
    notes: `${found} packages in ${(ms / 1000).toFixed(1)} s; read by offset, never buffered whole`,
  };
}

/**
 * The same jar in an image layer: the walker spills it to `<cacheDir>/tmp` and the analyzer reads
 * the spill by offset. Runs in a separate process so its peak RSS is its own.
 */
export async function benchFatJarImage(): Promise<BenchResult[]> {
  const nested = buildFatJar();
  buildFatJarImage();
  const cacheDir = path.join(ROOT, 'cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const beforeRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const source = await openInputPath(OCI);
  let found: number;
  try {
    const inv = await scanImageInventory(source, {
      analyzers: [createJavaAnalyzer()],
      osEcosystem,
      cacheDir,
    });
    found = inv.packages.length;
  } finally {
    await source.close();
  }
  const ms = performance.now() - t0;
  const left = readdirSync(path.join(cacheDir, 'tmp'));
  rmSync(cacheDir, { recursive: true, force: true });
  if (found < nested) throw new Error(`expected at least ${nested} packages, found ${found}`);
  if (left.length) throw new Error(`spill files left behind: ${left.join(', ')}`);
  const peakMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
  return [result('image layer spilled to the cache dir', peakMb, beforeRss, found, ms)];
}

function imageChild(): BenchResult[] {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'child.ts'), './java-jar.ts', 'benchFatJarImage'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as BenchResult[];
}

export async function benchFatJar(): Promise<BenchResult[]> {
  const nested = buildFatJar();
  // before this process grows: the child's own peak is measured apart
  const image = imageChild();
  const beforeRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const inv = await scanRootfsInventory(path.join(ROOT, 'rootfs'), {
    analyzers: [createJavaAnalyzer()],
    osEcosystem,
  });
  const ms = performance.now() - t0;
  const peakMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
  const found = inv.packages.length;
  if (found < nested) throw new Error(`expected at least ${nested} packages, found ${found}`);
  const beyond = peakMb - beforeRss / 1e6;
  return [
    result('root filesystem', peakMb, beforeRss, found, ms),
    {
      name: 'java-jar',
      metric: 'root filesystem: memory beyond Node itself (bound 64 MB, the analyzer budget)',
      value: beyond,
      ratio: beyond / 64,
      target: 1,
      unit: 'MB',
      pass: beyond < 64,
    },
    ...image,
  ];
}
