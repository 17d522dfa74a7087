export type { ImageConfigJson, ImageSource, LayerDescriptor, ResolvedImage } from './types.js';
export type { LayerLink, LayerOutput, LayerResult } from './layer-result.js';
export { walkLayer, normalizeEntryName, type WalkOptions } from './walker.js';
export {
  mergeLayers,
  resolveInImage,
  type FinalizePackageFn,
  type MergeInput,
  type MergeOsFn,
  type OsEcosystemFn,
  type OsHooks,
} from './merge.js';
export { LayerCache, cleanCache, layerCacheKey, type CleanResult } from './cache.js';
export { scanImageInventory, summarizeConfig, type LazyAnalyzers, type ScanImageOptions } from './scan.js';
export { scanRootfsInventory, walkRootfs, resolveInRoot, type RootfsOptions } from './rootfs.js';
export { indexTar, type TarEntry } from './tar-index.js';
export { detectCompression, type Compression } from './decompress.js';
export { parsePlatform, formatPlatform, selectPlatform, type Platform } from './platform.js';
export {
  openSource,
  openInputPath,
  openDockerArchive,
  openOciLayout,
  openDaemonImage,
  inspectDaemonImage,
  parseDockerHost,
  DEFAULT_DOCKER_HOST,
  type OpenSourceInput,
  type DockerArchiveOptions,
  type OciLayoutOptions,
  type DaemonOptions,
} from './sources/index.js';
