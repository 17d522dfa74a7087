import type { Package, Severity } from '../core/types.js';
import type { EpssEntry, KevEntry } from '../vulndb/types.js';

/**
 * Which CVSS vector or label decided a rating: a vector's version, a feed label
 * (`database_specific`, OSV's `Ubuntu` severity type), Ubuntu's priority, the Debian tracker's
 * urgency, or the NVD severity the Debian tracker recorded (`nvd_severity`).
 */
export type SeverityOrigin =
  | 'CVSS_V4'
  | 'CVSS_V3.1'
  | 'CVSS_V3.0'
  | 'CVSS_V2'
  | 'database_specific'
  | 'Ubuntu'
  | 'ubuntu_priority'
  | 'debian_urgency'
  | 'nvd_severity';

/** Kinds of rating source, see rating.ts: the distribution, NVD, the advisory records. */
export type RatingSource = 'vendor' | 'nvd' | 'ghsa';

export interface SeveritySource {
  /** the kind of source that decided (absent on verdicts of records alone) */
  source?: RatingSource;
  /** the OSV record id or CVE the severity came from */
  record: string;
  type: SeverityOrigin;
}

/** One source's rating of a finding. */
export interface Rating {
  source: RatingSource;
  severity: Severity;
  /** the OSV record id or CVE it came from */
  record: string;
  type: SeverityOrigin;
  cvss?: CvssScore;
  /** the publisher's own word: `unimportant`, `medium`, `Important`, `high**` */
  label?: string;
  /** for vendor ratings: `debian`, `ubuntu`, `redhat`, ... */
  vendor?: string;
}

/** The distribution's own severity, kept beside CVSS. */
export interface VendorSeverity {
  vendor: string;
  severity: Severity;
  /** the vendor's word for it, e.g. Debian's `unimportant`, Ubuntu's `negligible` */
  label: string;
  /** the CVE or advisory it rates */
  record: string;
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
  /** a VEX statement (`--vex`) saying the finding is affected or under investigation */
  vex?: { status: 'affected' | 'under_investigation'; statement: string | null; source: string };
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
  /** the distribution's own rating, whichever source decided `severity` */
  vendorSeverity?: VendorSeverity;
  /** the first CVSS in the severity-source order; `cvssSource` says whose */
  cvss?: CvssScore;
  cvssSource?: { source: RatingSource; record: string };
  /** every source's rating, vendor, nvd, ghsa (absent ones left out) */
  ratings: readonly Rating[];
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
  /** the order rating sources are tried in (default vendor, nvd, ghsa) */
  severitySources?: readonly RatingSource[];
}
