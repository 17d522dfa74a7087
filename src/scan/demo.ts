import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Progress } from '../core/progress.js';
import { MATCH_DB_BUILD } from '../match/index.js';
import { buildDbFromDirectory, dbFreshness } from '../vulndb/index.js';

/**
 * `data/demo` of the installed package: the nearest folder above this module (src/scan, dist/scan
 * or the bundle in dist/bundle) that holds `data/demo`.
 */
function findDemoDir(from: string): string {
  for (let dir = from; ;) {
    const candidate = path.join(dir, 'data', 'demo');
    if (existsSync(path.join(candidate, 'demo-image.oci.tar'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(from, '..', '..', 'data', 'demo');
    dir = up;
  }
}

export const DEMO_DATA_DIR = findDemoDir(path.dirname(fileURLToPath(import.meta.url)));

export function demoImagePath(dataDir = DEMO_DATA_DIR): string {
  return path.join(dataDir, 'demo-image.oci.tar');
}

/**
 * The bundled demo database: built once from the bundled OSV subset (offline, about a second) into
 * the cache directory, and rebuilt when the schema or the matcher's build rules change.
 */
export async function ensureDemoDatabase(
  cacheDir: string,
  progress: Progress,
  dataDir = DEMO_DATA_DIR,
): Promise<string> {
  const dbPath = path.join(cacheDir, 'demo', 'bulwark-demo.db');
  if (existsSync(dbPath)) {
    try {
      // built by this bulwark's matcher rules, or rebuilt below
      if (dbFreshness(dbPath).builtWith === MATCH_DB_BUILD.normalizerId) return dbPath;
    } catch {
      // an older schema or a damaged file: rebuild below
    }
  }
  progress.update('building the bundled demo database');
  await buildDbFromDirectory(path.join(dataDir, 'osv'), dbPath, {
    ...MATCH_DB_BUILD,
    epss: false,
    // the demo mirror has no tracker export (its per-CVE list is not in the recorded data)
    debianTracker: false,
    progress,
  });
  return dbPath;
}
