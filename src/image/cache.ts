import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { layerCacheDir } from '../core/paths.js';
import type { Analyzer } from '../inventory/types.js';
import type { LayerResult } from './layer-result.js';

const FORMAT = 1;

/** Key = sha256(diffId + sorted analyzer id@version): a new analyzer version never reads stale results. */
export function layerCacheKey(
  diffId: string,
  analyzers: readonly Pick<Analyzer, 'id' | 'version'>[],
): string {
  const ids = analyzers.map((a) => `${a.id}@${a.version}`).sort();
  return createHash('sha256')
    .update(`${diffId}\n${ids.join('\n')}`)
    .digest('hex');
}

function isResult(v: unknown, diffId: string): v is LayerResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    r.diffId === diffId &&
    Array.isArray(r.outputs) &&
    Array.isArray(r.whiteouts) &&
    Array.isArray(r.opaqueDirs) &&
    Array.isArray(r.links) &&
    Array.isArray(r.warnings)
  );
}

/**
 * Per-layer analysis results under `<cacheDir>/layers/`, one JSON file each. Writes go to a temp
 * file in the same directory and are renamed into place, so concurrent scanners only ever see
 * whole files; a corrupt file reads as a miss and is overwritten.
 */
export class LayerCache {
  readonly dir: string;

  constructor(
    cacheDir: string,
    private readonly analyzers: readonly Pick<Analyzer, 'id' | 'version'>[],
  ) {
    this.dir = layerCacheDir(cacheDir);
  }

  private file(diffId: string): string {
    return path.join(this.dir, `${layerCacheKey(diffId, this.analyzers)}.json`);
  }

  async get(diffId: string): Promise<LayerResult | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(diffId), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const v = JSON.parse(text) as { format?: unknown; result?: unknown };
      return v.format === FORMAT && isResult(v.result, diffId) ? v.result : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a result; the caller has checked that `result.diffId` is the layer's declared diffID. */
  async put(result: LayerResult): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.file(result.diffId);
    const tmp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify({ format: FORMAT, result }));
      await rename(tmp, target);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }
}

export interface CleanResult {
  /** files removed, relative to the cache dir */
  removed: string[];
  bytes: number;
}

/**
 * Removes the layer cache and leftover temp downloads. The vulnerability database is kept: it
 * costs a download to rebuild and has its own commands.
 */
export async function cleanCache(cacheDir: string): Promise<CleanResult> {
  const removed: string[] = [];
  let bytes = 0;
  for (const sub of ['layers', 'tmp']) {
    const dir = path.join(cacheDir, sub);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const p = path.join(dir, name);
      const st = await stat(p).catch(() => undefined);
      if (!st) continue;
      bytes += st.isFile() ? st.size : 0;
      await rm(p, { recursive: true, force: true });
      removed.push(`${sub}/${name}`);
    }
  }
  return { removed, bytes };
}
