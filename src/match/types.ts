import type { Package, Severity } from '../core/types.js';
import type { EpssEntry, KevEntry } from '../vulndb/types.js';

/** Which CVSS vector (or feed label) decided a finding's severity. */
export type SeverityOrigin =
  'CVSS_V4' | 'CVSS_V3.1' | 'CVSS_V3.0' | 'CVSS_V2' | 'database_specific' | 'Ubuntu';

export interface SeveritySource {
  /** OSV record id the severity came from */
  record: string;
  type: SeverityOrigin;
}

export interface CvssScore {
  version: '2.0' | '3.0' | '3.1' | '4.0';
  vector: string;
  score: number;
}

/**
 * One vulnerability in one installed package; records that alias each other are merged. Findings
 * of one advisory share their lists and objects (a scan has thousands): treat them as read-only.
 */
export interface VulnFinding {
  /** the CVE when the merged group holds exactly one CVE, else the lowest record id */
  id: string;
  /** every other id of the group (record ids and their aliases), sorted */
  aliases: readonly string[];
  /** OSV record ids that matched, sorted */
  records: readonly string[];
  package: Package;
  /** what was compared: the source package for Debian/Ubuntu/Alpine, else the package itself */
  matched: Readonly<{ ecosystem: string; name: string; version: string }>;
  summary?: string;
  /** lowest fixing version above the installed version among the matched ranges */
  fixedVersion?: string;
  /** every fixing version above the installed version, ascending */
  fixedVersions: readonly string[];
  severity: Severity;
  severitySource?: SeveritySource;
  cvss?: CvssScore;
  epss?: EpssEntry;
  kev?: KevEntry;
  /** 0..100, see risk.ts */
  risk: number;
  references: readonly string[];
  published?: string;
  modified?: string;
}

export interface MatchWarning {
  code: string;
  message: string;
  /** the record or package the warning is about */
  input?: string;
}

export interface MatchResult {
  findings: VulnFinding[];
  warnings: MatchWarning[];
}

export type SortOrder = 'severity' | 'risk';

export interface MatchOptions {
  /** `severity` (default): severity desc, package, id. `risk`: risk desc, then the same. */
  sort?: SortOrder;
}
