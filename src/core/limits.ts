/**
 * Bounds applied to hostile input. Every parser takes its limits from here (overridable through
 * options), so one place documents what bulwark accepts.
 */
export interface Limits {
  /** largest manifest, index or image config accepted, in bytes */
  maxManifestBytes: number;
  /** largest single file an analyzer may ask to read from a layer, in bytes */
  maxAnalyzedFileBytes: number;
  /**
   * files above this size reach analyzers that read by offset (`Analyzer.randomAccess`) as a
   * file source instead of a Buffer; image layer entries are first spilled to the cache dir
   */
  randomAccessThresholdBytes: number;
  /** largest single file a random-access analyzer may read (and a layer entry spilled to disk) */
  maxRandomAccessFileBytes: number;
  /** largest uncompressed layer, in bytes */
  maxLayerBytes: number;
  /** largest ratio of uncompressed to compressed bytes for one layer (decompression bombs) */
  maxCompressionRatio: number;
  /** compressed bytes below which the ratio check does not apply (tiny layers compress well) */
  ratioCheckFloorBytes: number;
  /** most tar entries in one layer */
  maxLayerEntries: number;
  /** most layers in one image */
  maxLayers: number;
  /** most symlinks followed while resolving one path */
  maxSymlinkHops: number;
  /** most redirects followed for one HTTP request */
  maxRedirects: number;
  /** HTTP request timeout, in milliseconds (per attempt, idle) */
  httpTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxManifestBytes: 4 * 1024 * 1024,
  maxAnalyzedFileBytes: 64 * 1024 * 1024,
  randomAccessThresholdBytes: 8 * 1024 * 1024,
  maxRandomAccessFileBytes: 2 * 1024 * 1024 * 1024,
  maxLayerBytes: 32 * 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioCheckFloorBytes: 1024 * 1024,
  maxLayerEntries: 2_000_000,
  maxLayers: 512,
  maxSymlinkHops: 40,
  maxRedirects: 5,
  httpTimeoutMs: 60_000,
});

export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
