/**
 * `bulwark sbom`: the flow up to the inventory, written as CycloneDX or SPDX; and
 * `bulwark sbom scan`: an SBOM from another tool read back into an inventory and matched.
 */
import { lstat, stat } from 'node:fs/promises';
import path from 'node:path';
import { BulwarkError } from '../core/errors.js';
import type { Inventory } from '../core/types.js';
import type { ScanReport } from '../report/index.js';
import { readSbomFile, renderSbom, type ReadSbomOptions, type SbomFormat } from '../sbom/index.js';
import { dirInventory, type DirInventoryOptions } from './fs.js';
import { imageInventory, scanTarget, type ImageInventoryOptions, type ScanOptions } from './scan.js';

/** What to describe: an image (reference or archive), a root filesystem, or a project folder. */
export type SbomTarget =
  | { kind: 'image'; ref?: string; inputPath?: string }
  | { kind: 'rootfs'; dir: string }
  | { kind: 'fs'; dir: string };

/** Markers of an unpacked operating system; their presence makes a directory a root filesystem. */
export const ROOTFS_MARKERS = ['etc/os-release', 'var/lib/dpkg'] as const;

/**
 * How a directory argument is scanned: as a root filesystem when it holds `etc/os-release` or
 * `var/lib/dpkg` (lstat: a dangling os-release symlink still counts), else as a project folder.
 */
export async function classifyDirectory(dir: string): Promise<'rootfs' | 'fs'> {
  for (const marker of ROOTFS_MARKERS) {
    if (await lstat(path.join(dir, marker)).catch(() => undefined)) return 'rootfs';
  }
  return 'fs';
}

/**
 * The target a positional argument names: an existing directory is a root filesystem or a folder
 * (see `classifyDirectory`), an existing file an image archive, anything else an image reference.
 */
export async function resolveSbomTarget(arg: string): Promise<SbomTarget> {
  const st = await stat(arg).catch(() => undefined);
  if (st?.isDirectory()) {
    const kind = await classifyDirectory(arg);
    return { kind, dir: arg };
  }
  if (st?.isFile()) return { kind: 'image', inputPath: arg };
  return { kind: 'image', ref: arg };
}

export type SbomInventoryOptions = Omit<ImageInventoryOptions, 'ref' | 'inputPath'> & DirInventoryOptions;

export async function sbomInventory(target: SbomTarget, opts: SbomInventoryOptions): Promise<Inventory> {
  switch (target.kind) {
    case 'image':
      if (!target.ref && !target.inputPath)
        throw new BulwarkError('USAGE', 'name an image, a directory, --input or --rootfs');
      return imageInventory({
        ...opts,
        ...(target.ref ? { ref: target.ref } : {}),
        ...(target.inputPath ? { inputPath: target.inputPath } : {}),
      });
    case 'rootfs':
    case 'fs':
      return dirInventory(target.dir, target.kind, opts);
  }
}

export interface GenerateSbomOptions extends SbomInventoryOptions {
  format: SbomFormat;
  toolVersion: string;
  timestamp?: Date | string;
}

/** The SBOM document for a target, as text. */
export async function generateSbom(target: SbomTarget, opts: GenerateSbomOptions): Promise<string> {
  const inventory = await sbomInventory(target, opts);
  return renderSbom(inventory, opts.format, {
    toolVersion: opts.toolVersion,
    ...(opts.timestamp ? { timestamp: opts.timestamp } : {}),
  });
}

/** Vulnerabilities of the components an SBOM lists, like any other target. */
export async function scanSbom(
  file: string,
  opts: ScanOptions & { sbom?: ReadSbomOptions },
): Promise<ScanReport> {
  return scanTarget(file, opts, () => readSbomFile(file, opts.sbom ?? {}));
}
