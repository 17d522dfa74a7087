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
 * Read access the matcher needs. Lookups go by the record's affected ecosystem exactly as the feed
 * writes it (`Debian:12`, `Alpine:v3.19`, `npm`) and the package name normalised per ecosystem
 * (see `normalizePackageName`).
 */
export interface VulnDb {
  /** records (withdrawn excluded) with an affected entry for (ecosystem, name) */
  lookup(ecosystem: string, name: string): OsvRecord[];
  /** every affected ecosystem string present, e.g. to find `Debian:*` releases */
  ecosystems(): string[];
  kev(cveIds: readonly string[]): KevEntry | undefined;
  epss(cveIds: readonly string[]): EpssEntry | undefined;
  metadata(): DbMetadata;
  close(): void;
  /**
   * Optional: records of any ecosystem (withdrawn excluded) whose id or aliases include one of
   * `ids`. The matcher uses them only to rate severity when the matched records carry no CVSS
   * (Debian and Alpine advisories): a GHSA or Go record for the same CVE usually does.
   */
  related?(ids: readonly string[]): OsvRecord[];
}
