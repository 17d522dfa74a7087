/** OSV record fields bulwark keeps (https://ossf.github.io/osv-schema/). */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
  severity?: OsvSeverity[];
  ecosystem_specific?: Record<string, unknown>;
  database_specific?: Record<string, unknown>;
}

export interface OsvSeverity {
  type: 'CVSS_V2' | 'CVSS_V3' | 'CVSS_V4' | 'Ubuntu' | string;
  score: string;
}

export interface OsvRecord {
  id: string;
  modified?: string;
  published?: string;
  withdrawn?: string;
  aliases?: string[];
  related?: string[];
  upstream?: string[];
  summary?: string;
  details?: string;
  severity?: OsvSeverity[];
  affected?: OsvAffected[];
  references?: { type: string; url: string }[];
  database_specific?: Record<string, unknown>;
}

export interface KevEntry {
  cveID: string;
  dateAdded: string;
  dueDate?: string;
  knownRansomwareCampaignUse?: string;
  vulnerabilityName?: string;
}

export interface EpssEntry {
  cve: string;
  /** probability of exploitation in the next 30 days, 0..1 */
  epss: number;
  percentile: number;
}

export interface DbMetadata {
  schemaVersion: number;
  /** when this database was built (ISO 8601) */
  builtAt: string;
  /** per feed: where it came from, when, how many records, validators for conditional requests */
  sources: {
    name: string;
    url: string;
    records: number;
    fetchedAt: string;
    etag?: string;
    lastModified?: string;
    /** `osv`, `kev` or `epss` */
    kind?: string;
    /** records the feed held that were malformed and skipped */
    badRecords?: number;
  }[];
}

/**
 * One record that names a package, as the matcher reads it: the record's affected entries for that
 * package (they may carry only what matching reads: package, ranges, versions, severity), and the
 * record itself, read only when an entry matches (it may lack `details` and other packages'
 * ranges; everything a finding shows is there).
 */
export interface MatchCandidate {
  id: string;
  entries: readonly OsvAffected[];
  record(): OsvRecord | undefined;
}

export interface PrefetchIds {
  records?: Iterable<string>;
  related?: Iterable<string>;
  epss?: Iterable<string>;
  /** CVEs whose NVD and vendor ratings will be asked for */
  ratings?: Iterable<string>;
}

/** NVD's CVSS for one CVE: one vector per CVSS version (see nvd.ts). */
export interface NvdRating {
  cve: string;
  severity: { type: string; score: string; source: string; primary: boolean }[];
}

/** A distribution's own rating of a CVE in one release's source package (Debian tracker urgency). */
export interface VendorRating {
  cve: string;
  ecosystem: string;
  package: string;
  vendor: string;
  label: string;
}

/**
 * Read access the matcher needs. Lookups go by the record's affected ecosystem exactly as the feed
 * writes it (`Debian:12`, `Alpine:v3.19`, `npm`) and the package name normalised per ecosystem
 * (see `normalizePackageName`).
 */
export interface VulnDb {
  /** records (withdrawn excluded) with an affected entry for (ecosystem, name), whole */
  lookup(ecosystem: string, name: string): OsvRecord[];
  /**
   * Optional fast path for the matcher: what `lookup` finds, as candidates whose entries are
   * parsed alone and whose record is parsed only on a match. Without it the matcher uses `lookup`.
   */
  candidates?(ecosystem: string, name: string): MatchCandidate[];
  /** Optional hint: `candidates` will be asked for these names; a store may fetch them in one go. */
  prefetch?(ecosystem: string, names: Iterable<string>): void;
  /**
   * Optional hint: these candidates' `record()`, and `related` and `epss` for these ids, will be
   * asked for; a store may read them in one go.
   */
  prefetchIds?(ids: PrefetchIds): void;
  /** every affected ecosystem string present, e.g. to find `Debian:*` releases */
  ecosystems(): string[];
  kev(cveIds: readonly string[]): KevEntry | undefined;
  epss(cveIds: readonly string[]): EpssEntry | undefined;
  metadata(): DbMetadata;
  close(): void;
  /**
   * Optional: records of any ecosystem (withdrawn excluded) whose id or aliases include one of
   * `ids`. The matcher uses them only to rate severity when the matched records carry no CVSS
   * (Debian and Alpine advisories): a GHSA or Go record for the same CVE usually does. They may
   * be reduced to what rating reads (id, severity vectors and labels).
   */
  related?(ids: readonly string[]): OsvRecord[];
  /** Optional: NVD's ratings of these CVEs (the newest NVD record of each; rejected CVEs have none). */
  nvd?(cves: readonly string[]): NvdRating[];
  /** Optional: distributions' own ratings of these CVEs, every release and package. */
  vendorRatings?(cves: readonly string[]): VendorRating[];
}
