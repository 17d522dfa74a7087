/**
 * Peak memory while scanning an image with a single 1.5 GB layer (issue target: under 250 MB).
 * Runs in its own process (bench/child.ts), so maxRSS is this scan's alone. The baseline is the
 * same process's RSS before the scan (Node itself plus loaded modules).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openInputPath, scanImageInventory } from '../src/image/index.js';
import { defaultAnalyzers, osEcosystem } from '../src/inventory/index.js';
import type { BenchResult } from './run.js';
import { BIG_DIR, buildBigImage } from './build-image.js';

export async function benchBigLayerMemory(): Promise<BenchResult[]> {
  await buildBigImage();
  const analyzers = await defaultAnalyzers();
  const before = process.memoryUsage().rss;
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), 'bw-bench-mem-'));
  const t0 = performance.now();
  const source = await openInputPath(BIG_DIR);
  try {
    const inv = await scanImageInventory(source, { analyzers, osEcosystem, cacheDir });
    if (!inv.os) throw new Error('the big image should yield an OS');
  } finally {
    await source.close();
    rmSync(cacheDir, { recursive: true, force: true });
  }
  const ms = performance.now() - t0;
  const peakMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
  return [
    {
      name: 'image-memory',
      metric: 'peak RSS scanning one 1.5 GB layer (bound 250 MB)',
      value: peakMb,
      baseline: before / 1e6,
      ratio: peakMb / 250,
      target: 1,
      unit: 'MB',
      pass: peakMb < 250,
      notes: `scan took ${(ms / 1000).toFixed(1)} s; baseline = RSS before the scan`,
    },
  ];
}
