/**
 * `bulwark fs <dir>`: a project folder (lockfiles and installed metadata) through the same walker,
 * matcher and report as a root filesystem. OS detection stays on: a folder that happens to hold an
 * os-release still says so.
 */
import type { Limits } from '../core/limits.js';
import type { Progress } from '../core/progress.js';
import type { Inventory } from '../core/types.js';
import { scanRootfsInventory } from '../image/index.js';
import { ANALYZERS, defaultAnalyzers, linkManifests, osEcosystem } from '../inventory/index.js';
import type { AnalyzerTarget } from '../inventory/index.js';
import type { ScanReport } from '../report/index.js';
import { analyzerIdsFor, type Scanner } from './misconfig.js';
import { scanTarget, type ScanOptions } from './scan.js';

export interface DirInventoryOptions {
  limits?: Partial<Limits>;
  progress?: Progress;
  /** `secret` adds the opt-in secrets analyzer, `misconfig` the image-hygiene one (rootfs) */
  scanners?: readonly Scanner[];
}

/** Inventory of a directory scanned as a project folder (`fs`) or as a root filesystem (`rootfs`). */
export async function dirInventory(
  dir: string,
  kind: Extract<AnalyzerTarget, 'fs' | 'rootfs'>,
  opts: DirInventoryOptions = {},
): Promise<Inventory> {
  const inventory = await scanRootfsInventory(dir, {
    analyzers: await defaultAnalyzers(
      analyzerIdsFor(Object.keys(ANALYZERS), opts.scanners ?? ['vuln']),
      kind,
    ),
    osEcosystem,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  // lockfiles without dev marks (yarn.lock, Cargo.lock, Gemfile.lock) get them from their manifests
  return linkManifests({ ...inventory, target: { ...inventory.target, kind } });
}

export async function fsInventory(dir: string, opts: DirInventoryOptions = {}): Promise<Inventory> {
  return dirInventory(dir, 'fs', opts);
}

export async function scanFs(dir: string, opts: ScanOptions): Promise<ScanReport> {
  return scanTarget(dir, opts, () => fsInventory(dir, opts));
}
