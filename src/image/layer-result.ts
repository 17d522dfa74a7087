import type { InventoryWarning } from '../core/types.js';
import type { AnalyzerOutput } from '../inventory/types.js';

/** What one analyzer said about one file of a layer. */
export interface LayerOutput {
  analyzerId: string;
  /** image-relative POSIX path without a leading slash */
  path: string;
  output: AnalyzerOutput;
}

/** A symlink (`hard: false`, target as stored) or hard link (`hard: true`, target image-relative). */
export interface LayerLink {
  path: string;
  target: string;
  hard: boolean;
}

/**
 * The analysis of one layer: all a merge needs, and nothing else, so it can be cached as JSON
 * and a warm rescan never opens the blob.
 */
export interface LayerResult {
  /** sha256 of the uncompressed tar as computed while walking */
  diffId: string;
  outputs: LayerOutput[];
  /** paths removed from lower layers (`.wh.<name>`) */
  whiteouts: string[];
  /** directories whose lower-layer content is hidden (`.wh..wh..opq`); '' is the root */
  opaqueDirs: string[];
  links: LayerLink[];
  /** per-file problems (an analyzer failed on a file): the layer still counts */
  warnings: InventoryWarning[];
}
