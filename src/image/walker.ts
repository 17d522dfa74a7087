import { createHash, randomBytes, type Hash } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import nodePath from 'node:path';
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileSource } from '../core/byte-source.js';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import { resolveLimits, type Limits } from '../core/limits.js';
import type { InventoryWarning } from '../core/types.js';
import type { Analyzer, AnalyzerFile, AnalyzerOutput } from '../inventory/types.js';
import { decompressor, detectCompression, peek } from './decompress.js';
import type { LayerLink, LayerOutput, LayerResult } from './layer-result.js';
import { TarFormatError, TarScanner, type TarEntrySink } from './tar-scan.js';
import type { LayerDescriptor } from './types.js';

export interface WalkOptions {
  limits?: Partial<Limits>;
  /**
   * Where entries above `randomAccessThresholdBytes` wanted only by random-access analyzers are
   * spilled (created if missing; meant to be `<cacheDir>/tmp`). Each spill file is unlinked as soon
   * as it is open and closed once analyzed. Without it such entries are buffered in memory like any
   * other, up to `maxAnalyzedFileBytes`.
   */
  spillDir?: string;
  /** use the pure-JS zstd decoder even when the native one loads (tests, diagnostics) */
  forceJsZstd?: boolean;
}

const OPAQUE = '.wh..wh..opq';
const WHITEOUT = '.wh.';

export function layerLabel(layer: Pick<LayerDescriptor, 'digest' | 'diffId' | 'index'>): string {
  return layer.digest || layer.diffId || `layer ${layer.index}`;
}

/**
 * Normalises a tar entry name to an image-relative path ('' for the root). Returns null when the
 * name escapes the root. Written for the hot path: no regex, no split unless `..` appears at all.
 */
export function normalizeEntryName(name: string): string | null {
  let p = name;
  if (p.charCodeAt(0) === 47 /* / */) return null;
  while (p.charCodeAt(0) === 46 /* . */ && p.charCodeAt(1) === 47) p = p.slice(2);
  if (p === '.') return '';
  if (p.charCodeAt(p.length - 1) === 47) p = p.slice(0, -1);
  if (p.indexOf('..') === -1 && p.indexOf('//') === -1 && p.indexOf('/./') === -1) return p;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return null;
    out.push(seg);
  }
  return out.join('/');
}

/** A symlink's target as an image path, one hop, `..` stopping at the root (never the host). */
function lexicalTarget(linkPath: string, target: string): string {
  const parts = target.charCodeAt(0) === 47 ? [] : linkPath.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/**
 * The end of the pipeline: hashes and counts the uncompressed tar (enforcing size and ratio bounds
 * as bytes arrive) and feeds the tar scanner, all in one stage.
 */
class LayerSink extends Writable {
  readonly hash: Hash = createHash('sha256');
  bytes = 0;

  constructor(
    private readonly limits: Limits,
    private readonly compressedBytes: () => number,
    private readonly label: string,
    private readonly scanner: TarScanner,
  ) {
    super({ highWaterMark: 1024 * 1024 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    // Deferred so that zlib queues its next inflate on the thread pool before this chunk is hashed
    // and parsed here: the two then overlap instead of taking turns.
    setImmediate(() => this.consume(chunk, cb));
  }

  private consume(chunk: Buffer, cb: (e?: Error | null) => void): void {
    if (this.destroyed) {
      cb();
      return;
    }
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxLayerBytes) {
      cb(
        new BulwarkError(
          'LIMIT_EXCEEDED',
          `layer is larger than ${this.limits.maxLayerBytes} bytes uncompressed`,
          {
            input: this.label,
          },
        ),
      );
      return;
    }
    // The ratio only counts past the floor: tiny layers legitimately compress very well.
    const compressed = Math.max(this.compressedBytes(), this.limits.ratioCheckFloorBytes);
    if (this.bytes > compressed * this.limits.maxCompressionRatio) {
      cb(
        new BulwarkError(
          'LIMIT_EXCEEDED',
          `layer expands more than ${this.limits.maxCompressionRatio}x (decompression bomb?)`,
          { input: this.label },
        ),
      );
      return;
    }
    this.hash.update(chunk);
    try {
      this.scanner.write(chunk);
    } catch (e) {
      cb(e as Error);
      return;
    }
    cb();
  }

  override _final(cb: (e?: Error | null) => void): void {
    cb(this.scanner.complete ? null : new TarFormatError('tar stream ends in the middle of an entry'));
  }
}

class Counter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    cb(null, chunk);
  }
}

interface Spill {
  fd: number;
  /** set when the file could not be unlinked while open */
  removeOnClose?: string;
  path: string;
  size: number;
  mode: number;
  who: Analyzer[];
  aliases: { path: string; who: Analyzer[] }[];
  error: unknown;
}

const EMPTY = Buffer.alloc(0);

function toLayerError(e: unknown, label: string): BulwarkError {
  if (isBulwarkError(e)) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new BulwarkError('MALFORMED_INPUT', `corrupt or truncated layer: ${msg}`, {
    input: label,
    cause: e,
  });
}

/**
 * Streams one layer blob once: detects compression by magic bytes, computes the diffID, parses the
 * tar, and hands only the files some analyzer asked for to that analyzer. Everything else is
 * drained without being looked at twice.
 */
export async function walkLayer(
  blob: Readable,
  layer: Pick<LayerDescriptor, 'digest' | 'diffId' | 'index'>,
  analyzers: readonly Analyzer[],
  opts: WalkOptions = {},
): Promise<LayerResult> {
  const limits = resolveLimits(opts.limits);
  const label = layerLabel(layer);
  const outputs: LayerOutput[] = [];
  const whiteouts: string[] = [];
  const opaqueDirs: string[] = [];
  const links: LayerLink[] = [];
  const warnings: InventoryWarning[] = [];
  const nAnalyzers = analyzers.length;
  const wanted: Analyzer[] = [];
  let entries = 0;

  let head: Buffer;
  try {
    head = await peek(blob, 4);
  } catch (e) {
    blob.destroy();
    throw toLayerError(e, label);
  }
  const kind = detectCompression(head);
  const decomp = decompressor(kind, opts);
  const counter = kind === 'zstd' ? new Counter() : undefined;
  const compressedBytes =
    kind === 'gzip'
      ? () => (decomp as unknown as { bytesWritten: number }).bytesWritten
      : kind === 'zstd'
        ? () => counter!.bytes
        : () => Number.POSITIVE_INFINITY;
  const analyze = (path: string, file: Omit<AnalyzerFile, 'path'>, who: Analyzer[]): void => {
    for (const a of who) {
      let output: AnalyzerOutput;
      try {
        output = a.analyze({ path, ...file }, { maxBytes: limits.maxAnalyzedFileBytes });
      } catch (e) {
        // Kept as an output so the file still replaces lower layers' version of it in the merge.
        output = {
          warnings: [
            {
              code: 'ANALYZER_FAILED',
              message: `${a.id}: ${e instanceof Error ? e.message : String(e)}`,
              input: `${label}:${path}`,
            },
          ],
        };
      }
      outputs.push({ analyzerId: a.id, path, output });
    }
  };
  // One oversized or unreadable file degrades that file, not the layer: it is skipped with a
  // warning, and the warning output still hides lower layers' versions of the path in the merge.
  const skipped = (path: string, who: readonly Analyzer[], code: string, message: string): void => {
    const warning = { code, message, input: `${label}:${path}` };
    for (const a of who) outputs.push({ analyzerId: a.id, path, output: { warnings: [warning] } });
  };
  const tooLarge = (path: string, size: number, max: number, who: readonly Analyzer[]): void => {
    if (who.length)
      skipped(
        path,
        who,
        'FILE_TOO_LARGE',
        `${size} bytes, more than the ${max} an analyzer may read: not analyzed`,
      );
  };

  let spill: Spill | undefined;
  let spillDirReady = false;
  /**
   * Opens an anonymous spill file for an entry only random-access analyzers read: unlinked as soon
   * as it is open, so nothing outlives the scan even if the process dies; closed once analyzed.
   */
  const openSpill = (dir: string): Pick<Spill, 'fd' | 'removeOnClose'> | undefined => {
    try {
      if (!spillDirReady) mkdirSync(dir, { recursive: true, mode: 0o700 });
      spillDirReady = true;
      const file = nodePath.join(dir, `spill-${process.pid}-${randomBytes(6).toString('hex')}`);
      const fd = openSync(file, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
      try {
        unlinkSync(file);
        return { fd };
      } catch {
        // a platform that cannot unlink open files: removed once closed instead
        return { fd, removeOnClose: file };
      }
    } catch {
      return undefined;
    }
  };
  const closeSpill = (s: Spill): void => {
    spill = undefined;
    closeSync(s.fd);
    if (s.removeOnClose !== undefined) rmSync(s.removeOnClose, { force: true });
  };
  const spillSink: TarEntrySink = {
    write(data: Buffer): void {
      const s = spill!;
      if (s.error !== undefined) return;
      try {
        // Synchronous like the tar scanner that calls it: chunks are at most 1 MiB and land in the
        // page cache, and the bytes must be on disk before `end` hands the file to the analyzers.
        for (let off = 0; off < data.length;) off += writeSync(s.fd, data, off, data.length - off);
      } catch (e) {
        s.error = e;
      }
    },
    end(): void {
      const s = spill!;
      try {
        if (s.error !== undefined) {
          const code = (s.error as NodeJS.ErrnoException).code ?? String(s.error);
          skipped(s.path, s.who, 'UNREADABLE', `cannot spill to disk (${code}): not analyzed`);
          return;
        }
        const file = { content: EMPTY, size: s.size, mode: s.mode, source: fileSource(s.fd, s.size) };
        analyze(s.path, file, s.who);
        for (const alias of s.aliases) analyze(alias.path, file, alias.who);
      } finally {
        closeSpill(s);
      }
    },
  };

  /**
   * The sink for a large entry when only random-access analyzers want it (or it is too large for
   * the others anyway), false to skip it (warned), undefined to buffer it as usual. Analyzers that
   * need the whole file get their FILE_TOO_LARGE warning here.
   */
  const spillFor = (
    path: string,
    size: number,
    mode: number,
    aliases: { path: string; who: Analyzer[] }[] | undefined,
    dir: string,
  ): TarEntrySink | false | undefined => {
    const all = [...wanted, ...(aliases ?? []).flatMap((x) => x.who)];
    const needsWhole = all.some((a) => !a.randomAccess);
    if (!all.some((a) => a.randomAccess)) return undefined;
    if (needsWhole && size <= limits.maxAnalyzedFileBytes) return undefined;
    const max = limits.maxRandomAccessFileBytes;
    const byOffset = (who: readonly Analyzer[]): Analyzer[] => who.filter((a) => a.randomAccess);
    const whole = wanted.filter((a) => !a.randomAccess);
    if (size > max) {
      tooLarge(path, size, Math.max(max, limits.maxAnalyzedFileBytes), wanted);
      return false;
    }
    const file = openSpill(dir);
    if (file === undefined) {
      if (size <= limits.maxAnalyzedFileBytes) return undefined;
      skipped(path, wanted, 'UNREADABLE', `cannot spill ${size} bytes to ${dir}: not analyzed`);
      return false;
    }
    tooLarge(path, size, limits.maxAnalyzedFileBytes, whole);
    spill = {
      ...file,
      path,
      size,
      mode,
      who: byOffset(wanted),
      aliases: (aliases ?? [])
        .map((x) => ({ path: x.path, who: byOffset(x.who) }))
        .filter((x) => x.who.length),
      error: undefined,
    };
    return spillSink;
  };

  let capturedPath = '';
  let capturedFor: Analyzer[] = [];
  // Symlinks at required paths whose target comes later in this layer: the target's bytes are
  // analyzed under the link's path too, for analyzers that asked for the link but not the target.
  const forward = new Map<string, { path: string; who: Analyzer[] }[]>();
  let capturedAliases: { path: string; who: Analyzer[] }[] | undefined;
  const scanner = new TarScanner({
    entry(header): boolean | TarEntrySink {
      if (++entries > limits.maxLayerEntries) {
        throw new BulwarkError('LIMIT_EXCEEDED', `layer has more than ${limits.maxLayerEntries} entries`, {
          input: label,
        });
      }
      const path = normalizeEntryName(header.name);
      if (path === null) {
        throw new BulwarkError(
          'PATH_TRAVERSAL',
          `entry ${JSON.stringify(header.name)} escapes the image root`,
          {
            input: `${label}:${header.name}`,
          },
        );
      }
      const type = header.type;
      if (path.indexOf(WHITEOUT) !== -1) {
        const slash = path.lastIndexOf('/');
        if (path.startsWith(WHITEOUT, slash + 1)) {
          const base = path.slice(slash + 1);
          const dir = slash === -1 ? '' : path.slice(0, slash);
          if (base === OPAQUE) opaqueDirs.push(dir);
          else whiteouts.push(dir === '' ? base.slice(4) : `${dir}/${base.slice(4)}`);
          return false;
        }
      }
      if (type === 'file') {
        const size = header.size;
        wanted.length = 0;
        for (let i = 0; i < nAnalyzers; i++) {
          const a = analyzers[i]!;
          if (a.required(path, size, header.mode)) wanted.push(a);
        }
        const aliases = forward.size === 0 ? undefined : forward.get(path);
        if (wanted.length === 0 && aliases === undefined) return false;
        if (size > limits.randomAccessThresholdBytes && opts.spillDir !== undefined) {
          const sink = spillFor(path, size, header.mode, aliases, opts.spillDir);
          if (sink !== undefined) return sink;
        }
        if (size > limits.maxAnalyzedFileBytes) {
          tooLarge(path, size, limits.maxAnalyzedFileBytes, wanted);
          return false;
        }
        capturedPath = path;
        capturedFor = wanted.slice();
        capturedAliases = aliases;
        return true;
      }
      if (type === 'symlink' || type === 'link') {
        let want = false;
        for (let i = 0; i < nAnalyzers && !want; i++) want = analyzers[i]!.required(path, 0);
        if (!want) return false;
        const raw = header.linkname;
        if (type === 'link') {
          // Hard link targets name another entry of the archive; hold them to the same rules.
          const target = normalizeEntryName(raw.charCodeAt(0) === 47 ? raw.slice(1) : raw);
          if (target === null) {
            throw new BulwarkError('PATH_TRAVERSAL', `hard link ${path} -> ${raw} escapes the image root`, {
              input: `${label}:${path}`,
            });
          }
          links.push({ path, target, hard: true });
        } else {
          links.push({ path, target: raw, hard: false });
          const target = lexicalTarget(path, raw);
          const who = analyzers.filter((a) => a.required(path, 0) && !a.required(target, 0));
          if (target !== '' && who.length) {
            const list = forward.get(target);
            if (list) list.push({ path, who });
            else forward.set(target, [{ path, who }]);
          }
        }
      }
      return false;
    },
    content(header, data): void {
      const file = { content: data, size: data.length, mode: header.mode };
      analyze(capturedPath, file, capturedFor);
      if (capturedAliases) for (const alias of capturedAliases) analyze(alias.path, file, alias.who);
    },
  });
  const sink = new LayerSink(limits, compressedBytes, label, scanner);

  const stages: (Readable | Transform | Writable)[] = [blob];
  if (counter) stages.push(counter);
  if (decomp) stages.push(decomp);
  stages.push(sink);
  try {
    await pipeline(stages as unknown as [Readable, Writable]);
  } catch (e) {
    throw toLayerError(e, label);
  } finally {
    // a layer that fails in the middle of a spilled entry
    if (spill) closeSpill(spill);
  }
  return {
    diffId: `sha256:${sink.hash.digest('hex')}`,
    outputs,
    whiteouts,
    opaqueDirs,
    links,
    warnings,
  };
}
