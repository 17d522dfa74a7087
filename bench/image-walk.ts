/**
 * Cold and warm image scans against the floor the issue names: Node's own zlib stream-inflating the
 * same layer blobs in the same process (1 MiB reads, 256 KiB output chunks). Targets: cold scan at
 * most 1.5x the inflate, warm rescan at most 10% of the cold scan.
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { openOciLayout, scanImageInventory, type OsEcosystemFn } from '../src/image/index.js';
import type { Analyzer } from '../src/inventory/types.js';
import type { BenchResult } from './run.js';
import { IMAGE_DIR, buildAppImage } from './build-image.js';

export interface ImageWalkTimes {
  layers: number;
  compressedBytes: number;
  uncompressedBytes: number;
  packages: number;
  /** (a) plain zlib stream-inflate of every layer blob */
  inflateMs: number;
  /** (b) scanImageInventory with a fresh cache dir */
  coldMs: number;
  /** (c) the same scan again, layers cached */
  warmMs: number;
  /** CPU time (all threads) of (a) and (b): steadier than wall time on a shared machine */
  inflateCpuMs: number;
  coldCpuMs: number;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

function layerBlobs(layoutDir: string): string[] {
  const index = JSON.parse(readFileSync(path.join(layoutDir, 'index.json'), 'utf8')) as {
    manifests: { digest: string }[];
  };
  const blob = (d: string): string => path.join(layoutDir, 'blobs', ...d.split(':'));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as {
    layers: { digest: string }[];
  };
  return manifest.layers.map((l) => blob(l.digest));
}

async function inflateAll(blobs: string[]): Promise<number> {
  let out = 0;
  for (const file of blobs) {
    await pipeline(
      createReadStream(file, { highWaterMark: 1024 * 1024 }),
      createGunzip({ chunkSize: 256 * 1024 }),
      new Writable({
        write(chunk: Buffer, _e, cb) {
          out += chunk.length;
          cb();
        },
      }),
    );
  }
  return out;
}

/** Times (a) inflate, (b) cold scan, (c) warm rescan of a gzip-layered OCI layout. */
export async function measureImageWalk(
  layoutDir: string,
  opts: { analyzers?: readonly Analyzer[]; osEcosystem?: OsEcosystemFn } = {},
): Promise<ImageWalkTimes> {
  const inventory = await import('../src/inventory/index.js');
  const analyzers = opts.analyzers ?? (await inventory.defaultAnalyzers(undefined, 'image'));
  const osEcosystem = opts.osEcosystem ?? inventory.osEcosystem;
  const blobs = layerBlobs(layoutDir);
  const compressedBytes = blobs.reduce((n, b) => n + readFileSync(b).length, 0);
  // Warm the page cache and the JIT for both paths before measuring either.
  await inflateAll(blobs);
  let t = performance.now();
  let cpu = process.cpuUsage();
  const uncompressedBytes = await inflateAll(blobs);
  const inflateMs = performance.now() - t;
  const inflateCpuMs = cpuMs(cpu);

  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'bw-bench-walk-'));
  try {
    const scan = async () => {
      const source = await openOciLayout(layoutDir);
      try {
        return await scanImageInventory(source, { analyzers, osEcosystem, cacheDir });
      } finally {
        await source.close();
      }
    };
    t = performance.now();
    cpu = process.cpuUsage();
    const inv = await scan();
    const coldMs = performance.now() - t;
    const coldCpuMs = cpuMs(cpu);
    t = performance.now();
    await scan();
    const warmMs = performance.now() - t;
    return {
      layers: blobs.length,
      compressedBytes,
      uncompressedBytes,
      packages: inv.packages.length,
      inflateMs,
      coldMs,
      warmMs,
      inflateCpuMs,
      coldCpuMs,
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

/** Entry point for bench/run.ts. */
export async function benchImageScan(): Promise<BenchResult[]> {
  await buildAppImage();
  const m = await measureImageWalk(IMAGE_DIR);
  const notes =
    `${m.layers} layers, ${(m.compressedBytes / 1e6).toFixed(0)} MB gzip -> ` +
    `${(m.uncompressedBytes / 1e6).toFixed(0)} MB, ${m.packages} packages; ` +
    `CPU time cold/inflate ${(m.coldCpuMs / m.inflateCpuMs).toFixed(2)}`;
  const cold = m.coldMs / m.inflateMs;
  const warm = m.warmMs / m.coldMs;
  return [
    {
      name: 'image',
      metric: 'cold scan / zlib inflate of the same blobs',
      value: m.coldMs,
      baseline: m.inflateMs,
      ratio: cold,
      target: 1.5,
      unit: 'ms',
      pass: cold <= 1.5,
      notes,
    },
    {
      name: 'image',
      metric: 'warm rescan / cold scan',
      value: m.warmMs,
      baseline: m.coldMs,
      ratio: warm,
      target: 0.1,
      unit: 'ms',
      pass: warm <= 0.1,
      notes,
    },
  ];
}
