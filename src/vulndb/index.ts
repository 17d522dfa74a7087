export type {
  DbMetadata,
  EpssEntry,
  KevEntry,
  MatchCandidate,
  NvdRating,
  OsvAffected,
  OsvEvent,
  OsvRange,
  OsvRecord,
  OsvSeverity,
  PrefetchIds,
  VendorRating,
  VulnDb,
} from './types.js';
export { fetchFeed, FeedMissingError, type FetchOptions, type FetchResult } from './fetch.js';
export { openVulnDb, UPDATE_HINT, type OpenedVulnDb, type OpenOptions } from './open.js';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './osv-zip.js';
export {
  DEFAULT_MAX_AGE_DAYS,
  dbFreshness,
  dbStatus,
  type DbFreshness,
  type DbStatus,
  type StatusOptions,
} from './status.js';
export { fallbackNormalizeName, SCHEMA_VERSION, type KeepListed, type NormalizeName } from './store.js';
export {
  EXPORT_FORMAT,
  exportDb,
  importDb,
  type ExportManifest,
  type ExportResult,
  type ImportResult,
} from './transfer.js';
export { DEFAULT_NVD_API_URL, NVD_MAX_WINDOW_DAYS, nvdPageDelayMs } from './nvd-api.js';
export {
  DEFAULT_DEBIAN_TRACKER_URL,
  DEFAULT_NVD_FEEDS_URL,
  type NvdUpdateOptions,
} from './ratings-update.js';
export {
  buildDbFromDirectory,
  DEFAULT_EPSS_URL,
  DEFAULT_KEV_URL,
  DEFAULT_OSV_BASE,
  updateDb,
  type SourceStatus,
  type UpdateOptions,
  type UpdateResult,
} from './update.js';
