import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { lstat, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileSource } from '../core/byte-source.js';
import { BulwarkError } from '../core/errors.js';
import { resolveLimits, type Limits } from '../core/limits.js';
import type { Inventory, InventoryWarning } from '../core/types.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../inventory/types.js';
import type { LayerOutput, LayerResult } from './layer-result.js';
import { mergeLayers, type OsEcosystemFn, type OsHooks } from './merge.js';
import type { Progress } from '../core/progress.js';

export interface RootfsOptions extends OsHooks {
  analyzers: readonly Analyzer[];
  osEcosystem: OsEcosystemFn;
  limits?: Partial<Limits>;
  progress?: Progress;
}

const EMPTY = Buffer.alloc(0);

/** Pseudo filesystems of a live system: scanning `/` must not read them. */
const SKIP_AT_ROOT = new Set(['proc', 'sys', 'dev']);

/**
 * Resolves `rel` inside `root` component by component, following symlinks as the image would see
 * them: absolute targets restart at `root`, `..` never climbs above it. Returns the relative path of
 * a regular file, or undefined (dangling, loop, not a file).
 */
export async function resolveInRoot(root: string, rel: string, maxHops: number): Promise<string | undefined> {
  let pending = rel.split('/').filter((s) => s !== '' && s !== '.');
  const done: string[] = [];
  let hops = 0;
  while (pending.length) {
    const seg = pending.shift()!;
    if (seg === '..') {
      done.pop();
      continue;
    }
    const candidate = [...done, seg].join('/');
    const st = await lstat(path.join(root, candidate)).catch(() => undefined);
    if (!st) return undefined;
    if (st.isSymbolicLink()) {
      if (++hops > maxHops) return undefined;
      const target = await readlink(path.join(root, candidate));
      if (target.startsWith('/')) done.length = 0;
      pending = [...target.split('/').filter((s) => s !== '' && s !== '.'), ...pending];
      continue;
    }
    done.push(seg);
    if (pending.length && !st.isDirectory()) return undefined;
    if (!pending.length && !st.isFile()) return undefined;
  }
  return done.length ? done.join('/') : undefined;
}

/**
 * Synchronous on purpose, like the readdir/lstat of the walk: files here are small and served from
 * the page cache, where a promise round trip per call costs more than the syscall itself
 * (bench/npm-inventory.ts: 10,000 installed npm packages).
 */
async function readNoFollow(file: string, size: number): Promise<Buffer> {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const bytesRead = readSync(fd, buf, off, size - off, off);
      if (bytesRead === 0) break;
      off += bytesRead;
    }
    return off === size ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** Walks an unpacked root filesystem with lstat, feeding the analyzers like one image layer. */
export async function walkRootfs(dir: string, opts: RootfsOptions): Promise<LayerResult> {
  const limits = resolveLimits(opts.limits);
  const root = path.resolve(dir);
  const st = await stat(root).catch(() => undefined);
  if (!st?.isDirectory()) throw new BulwarkError('INPUT_NOT_FOUND', 'not a directory', { input: dir });
  const outputs: LayerOutput[] = [];
  const warnings: InventoryWarning[] = [];
  let entries = 0;

  const analyze = (rel: string, file: Omit<AnalyzerFile, 'path'>, who: Analyzer[]): void => {
    for (const a of who) {
      let output: AnalyzerOutput;
      try {
        output = a.analyze({ path: rel, ...file }, { maxBytes: limits.maxAnalyzedFileBytes });
      } catch (e) {
        output = {
          warnings: [
            {
              code: 'ANALYZER_FAILED',
              message: `${a.id}: ${(e as Error).message}`,
              input: path.join(dir, rel),
            },
          ],
        };
      }
      outputs.push({ analyzerId: a.id, path: rel, output });
    }
  };
  const tooLarge = (rel: string, size: number, max: number, who: Analyzer[]): void => {
    warnings.push({
      code: 'FILE_TOO_LARGE',
      message: `${size} bytes, more than the ${max} ${who.map((a) => a.id).join(', ')} may read: not analyzed`,
      input: path.join(dir, rel),
    });
  };
  const unreadable = (rel: string, e: unknown): void => {
    warnings.push({
      code: 'UNREADABLE',
      message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      input: path.join(dir, rel),
    });
  };
  /** Random-access analyzers read a large file by offset: it is never held in memory whole. */
  const readBySource = (rel: string, real: string, mode: number, who: Analyzer[]): void => {
    let fd: number;
    try {
      fd = openSync(path.join(root, real), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      unreadable(rel, e);
      return;
    }
    try {
      const size = fstatSync(fd).size;
      if (size > limits.maxRandomAccessFileBytes) tooLarge(rel, size, limits.maxRandomAccessFileBytes, who);
      else analyze(rel, { content: EMPTY, size, mode, source: fileSource(fd, size) }, who);
    } catch (e) {
      unreadable(rel, e);
    } finally {
      closeSync(fd);
    }
  };
  const readFor = async (
    rel: string,
    real: string,
    size: number,
    mode: number,
    who: Analyzer[],
  ): Promise<void> => {
    let buffered = who;
    if (size > limits.randomAccessThresholdBytes) {
      const bySource = who.filter((a) => a.randomAccess);
      // A file some analyzer needs whole anyway is read once and shared.
      if (bySource.length && (bySource.length === who.length || size > limits.maxAnalyzedFileBytes)) {
        readBySource(rel, real, mode, bySource);
        buffered = who.filter((a) => !a.randomAccess);
        if (!buffered.length) return;
      }
    }
    if (size > limits.maxAnalyzedFileBytes) {
      tooLarge(rel, size, limits.maxAnalyzedFileBytes, buffered);
      return;
    }
    let content: Buffer;
    try {
      content = await readNoFollow(path.join(root, real), size);
    } catch (e) {
      unreadable(rel, e);
      return;
    }
    analyze(rel, { content, size: content.length, mode }, buffered);
  };

  const stack: string[] = [''];
  while (stack.length) {
    const relDir = stack.pop()!;
    let names;
    try {
      names = readdirSync(path.join(root, relDir), { withFileTypes: true });
    } catch (e) {
      warnings.push({
        code: 'UNREADABLE',
        message: `cannot list: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        input: path.join(dir, relDir),
      });
      continue;
    }
    for (const d of names) {
      if (++entries > limits.maxLayerEntries) {
        throw new BulwarkError('LIMIT_EXCEEDED', `more than ${limits.maxLayerEntries} entries`, {
          input: dir,
        });
      }
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!(relDir === '' && SKIP_AT_ROOT.has(d.name))) stack.push(rel);
      } else if (d.isFile()) {
        let fst;
        try {
          fst = lstatSync(path.join(root, rel), { throwIfNoEntry: false });
        } catch {
          fst = undefined;
        }
        if (!fst) continue;
        const who = opts.analyzers.filter((a) => a.required(rel, fst.size, fst.mode));
        if (who.length) await readFor(rel, rel, fst.size, fst.mode, who);
      } else if (d.isSymbolicLink()) {
        const wanting = opts.analyzers.filter((a) => a.required(rel, 0));
        if (!wanting.length) continue;
        const target = await resolveInRoot(root, rel, limits.maxSymlinkHops);
        if (target === undefined) continue;
        // An analyzer that also wants the target itself reads it there; do not count the file twice.
        const tst = await lstat(path.join(root, target));
        const who = wanting.filter((a) => !a.required(target, tst.size));
        if (who.length) await readFor(rel, target, tst.size, tst.mode, who);
      }
    }
    opts.progress?.update('scanning files', entries);
  }
  return { diffId: '', outputs, whiteouts: [], opaqueDirs: [], links: [], warnings };
}

/** Inventory of an unpacked root filesystem: the same analyzers and merge as an image layer. */
export async function scanRootfsInventory(dir: string, opts: RootfsOptions): Promise<Inventory> {
  const result = await walkRootfs(dir, opts);
  opts.progress?.done();
  return mergeLayers({
    target: { kind: 'rootfs', name: dir },
    layers: [{ result }],
    analyzers: opts.analyzers,
    osEcosystem: opts.osEcosystem,
    ...(opts.mergeOs ? { mergeOs: opts.mergeOs } : {}),
    ...(opts.finalizePackage ? { finalizePackage: opts.finalizePackage } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  });
}
