/** `db status`: what the database holds, where it came from, and whether it is too old to trust. */
import { statSync } from 'node:fs';
import { openDatabaseFile, openVulnDb } from './open.js';

export const DEFAULT_MAX_AGE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface DbStatus {
  path: string;
  schemaVersion: number;
  builtAt: string;
  /** the `normalizerId` it was built with: a scan warns when it is not the matcher's */
  builtWith: string;
  /** age of the build in days (fractional) */
  ageDays: number;
  maxAgeDays: number;
  /** older than `maxAgeDays`: `bulwark image` warns */
  stale: boolean;
  sizeBytes: number;
  /** `nvd`: CVEs with an NVD rating; `vendor`: (CVE, release, package) vendor ratings */
  counts: { records: number; withdrawn: number; kev: number; epss: number; nvd: number; vendor: number };
  sources: {
    name: string;
    kind?: string;
    url: string;
    records: number;
    badRecords?: number;
    fetchedAt: string;
    etag?: string;
    lastModified?: string;
  }[];
  ecosystems: { ecosystem: string; records: number }[];
}

export interface StatusOptions {
  maxAgeDays?: number;
  now?: Date;
}

/** Throws DATABASE (naming the path) when the file is missing, corrupt or of another schema. */
export function dbStatus(dbPath: string, opts: StatusOptions = {}): DbStatus {
  const db = openVulnDb(dbPath);
  try {
    const meta = db.metadata();
    const { path, ...fresh } = freshness(dbPath, meta.builtAt, db.builtWith, opts);
    // the order of `db status --format json`: path, schemaVersion, then the freshness fields
    return {
      path,
      schemaVersion: meta.schemaVersion,
      ...fresh,
      sizeBytes: statSync(dbPath).size,
      counts: db.counts(),
      sources: meta.sources,
      ecosystems: db.ecosystemCounts(),
    };
  } finally {
    db.close();
  }
}

export type DbFreshness = Pick<
  DbStatus,
  'path' | 'builtAt' | 'builtWith' | 'ageDays' | 'maxAgeDays' | 'stale'
>;

/**
 * What a scan must know before it matches: the database is there, of this schema, how old, built
 * by which rules. Reads the metadata only: `dbStatus` also counts every table, which costs tens
 * of milliseconds on a full database, a large share of a warm rescan.
 */
export function dbFreshness(dbPath: string, opts: StatusOptions = {}): DbFreshness {
  const { db, meta } = openDatabaseFile(dbPath);
  db.close();
  return freshness(dbPath, meta.get('built_at') ?? '', meta.get('normalizer') ?? '', opts);
}

/** Age and staleness of a build, from its time and the rules it was built with. */
function freshness(path: string, builtAt: string, builtWith: string, opts: StatusOptions): DbFreshness {
  const maxAgeDays = opts.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  const built = Date.parse(builtAt);
  const now = opts.now ?? new Date();
  const ageDays = Number.isNaN(built) ? Infinity : Math.max(0, (now.getTime() - built) / DAY_MS);
  return { path, builtAt, builtWith, ageDays, maxAgeDays, stale: ageDays > maxAgeDays };
}
