export { matchInventory } from './match.js';
export {
  applyPolicy,
  IGNORE_FILE_NAME,
  loadIgnoreFile,
  parseIgnoreFile,
  parseSeverityList,
  type IgnoreEntry,
  type PolicyOptions,
  type PolicyResult,
  type SuppressedFinding,
} from './policy.js';
export { riskScore } from './risk.js';
export { decideSeverity, scoreVector, severityFromLabel, severityFromScore } from './severity.js';
export {
  DEFAULT_SEVERITY_SOURCES,
  parseSeveritySources,
  RATING_SOURCES,
  severityFromDebianUrgency,
  vendorOf,
} from './rating.js';
export { compareFindings, sortFindings } from './sort.js';
export type {
  CvssScore,
  MatchOptions,
  MatchResult,
  MatchWarning,
  Rating,
  RatingSource,
  SeverityOrigin,
  SeveritySource,
  SortOrder,
  VendorSeverity,
  VulnFinding,
} from './types.js';
export { keepListedVersions, MATCH_DB_BUILD, MATCH_DB_BUILD_ID } from './db-build.js';
