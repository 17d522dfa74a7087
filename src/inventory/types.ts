import type { ByteSource } from '../core/byte-source.js';
import type { InventoryWarning, OsInfo, Package } from '../core/types.js';

export type { ByteSource } from '../core/byte-source.js';

/**
 * A file handed to an analyzer: path is image-relative POSIX without a leading slash (`var/lib/dpkg/status`).
 * `size` is always the file's size; the bytes are in `content`, or, for analyzers that declare
 * `randomAccess` and files above `randomAccessThresholdBytes`, behind `source`.
 */
export interface AnalyzerFile {
  path: string;
  /** the whole file; empty when `source` is set */
  content: Buffer;
  size: number;
  mode: number;
  /**
   * Synchronous reads by offset of a file too large to buffer, set only for `randomAccess`
   * analyzers. Valid during `analyze` only (the walker closes it, and deletes a spilled layer entry,
   * right after): read what you need, keep nothing that refers to it.
   */
  source?: ByteSource;
}

/** What an analyzer found in one file. Must be JSON-serialisable: it is cached per layer. */
export interface AnalyzerOutput {
  /** OS facts (os-release and friends); merged across files by the inventory */
  os?: Partial<OsInfo> & { family: string };
  /**
   * Packages declared by the file. `ecosystem` may be left '' by OS package analyzers: the
   * inventory fills in the detected OS's ecosystem. `layer` is filled in by the merge.
   */
  packages?: Omit<Package, 'layer'>[];
  /** non-package observations about the file (secrets, setuid bits, caches left behind) */
  facts?: AnalyzerFact[];
  warnings?: InventoryWarning[];
}

/**
 * A non-package observation an analyzer makes about one file, for checks that are not about
 * packages (secret detection, image hygiene). `kind` names what it is (`secret`, `setuid`,
 * `package-cache`, ...); `data` is kind-specific and JSON-serialisable (it is cached per layer).
 * Never put an unredacted secret in `data`.
 */
export interface AnalyzerFact {
  kind: string;
  data: Record<string, string | number | boolean | null>;
}

/** What is being scanned: an image's layers, an unpacked root filesystem, or a project folder. */
export type AnalyzerTarget = 'image' | 'rootfs' | 'fs';

export interface AnalyzeContext {
  /** maximum bytes the analyzer may allocate beyond the file itself */
  maxBytes: number;
}

/**
 * An analyzer declares which paths it wants (`required`, a cheap gate called for every tar entry:
 * no regexes with backtracking, no allocation) and parses those files (`analyze`, pure: no I/O).
 * `version` feeds the layer cache key: bump it whenever output for the same input changes.
 */
export interface Analyzer {
  id: string;
  version: number;
  kind: 'os' | 'os-packages' | 'lang';
  /**
   * Scan kinds this analyzer runs in; all when omitted. Lockfiles describe what a build would
   * install, so their analyzers run for project folders (`fs`) only: in images and root
   * filesystems the installed metadata is the truth (as Trivy and Syft do).
   */
  targets?: readonly AnalyzerTarget[];
  /**
   * Costly analyzers (secret search over every text file) run only when named in the ids passed
   * to `defaultAnalyzers`, never by default.
   */
  optIn?: boolean;
  /**
   * `mode` (the entry's permission bits) is passed for regular files, so binary analyzers can gate
   * on the executable bits; it is absent for links.
   */
  required(path: string, size: number, mode?: number): boolean;
  /**
   * The analyzer reads by offset: files above `randomAccessThresholdBytes` reach it as
   * `AnalyzerFile.source` with an empty `content`, and may be as large as `maxRandomAccessFileBytes`
   * (beyond `maxAnalyzedFileBytes`). Others always get the whole file in `content`.
   */
  randomAccess?: true;
  /** Synchronous; reads nothing but `file` (its `content`, or its `source` when set). */
  analyze(file: AnalyzerFile, ctx: AnalyzeContext): AnalyzerOutput;
}
