import { createHash, type Hash } from 'node:crypto';
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import { resolveLimits, type Limits } from '../core/limits.js';
import type { InventoryWarning } from '../core/types.js';
import type { Analyzer, AnalyzerOutput } from '../inventory/types.js';
import { decompressor, detectCompression, peek } from './decompress.js';
import type { LayerLink, LayerOutput, LayerResult } from './layer-result.js';
import { TarFormatError, TarScanner } from './tar-scan.js';
import type { LayerDescriptor } from './types.js';

export interface WalkOptions {
  limits?: Partial<Limits>;
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
  const analyze = (path: string, content: Buffer, mode: number, who: Analyzer[]): void => {
    for (const a of who) {
      let output: AnalyzerOutput;
      try {
        output = a.analyze(
          { path, content, size: content.length, mode },
          { maxBytes: limits.maxAnalyzedFileBytes },
        );
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

  let capturedPath = '';
  let capturedFor: Analyzer[] = [];
  // Symlinks at required paths whose target comes later in this layer: the target's bytes are
  // analyzed under the link's path too, for analyzers that asked for the link but not the target.
  const forward = new Map<string, { path: string; who: Analyzer[] }[]>();
  let capturedAliases: { path: string; who: Analyzer[] }[] | undefined;
  const scanner = new TarScanner({
    entry(header): boolean {
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
        if (size > limits.maxAnalyzedFileBytes) {
          // One oversized file degrades that file, not the layer: it is skipped with a warning, and
          // the warning output still hides lower layers' versions of the path in the merge.
          const warning = {
            code: 'FILE_TOO_LARGE',
            message: `${size} bytes, more than the ${limits.maxAnalyzedFileBytes} an analyzer may read: not analyzed`,
            input: `${label}:${path}`,
          };
          for (const a of wanted) outputs.push({ analyzerId: a.id, path, output: { warnings: [warning] } });
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
      analyze(capturedPath, data, header.mode, capturedFor);
      if (capturedAliases)
        for (const alias of capturedAliases) analyze(alias.path, data, header.mode, alias.who);
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
