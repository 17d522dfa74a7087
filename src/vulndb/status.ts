/** `db status`: what the database holds, where it came from, and whether it is too old to trust. */
import { statSync } from 'node:fs';
import { openVulnDb } from './open.js';

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
  const maxAgeDays = opts.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  const now = opts.now ?? new Date();
  const db = openVulnDb(dbPath);
  try {
    const meta = db.metadata();
    const built = Date.parse(meta.builtAt);
    const ageDays = Number.isNaN(built) ? Infinity : Math.max(0, (now.getTime() - built) / DAY_MS);
    return {
      path: dbPath,
      schemaVersion: meta.schemaVersion,
      builtAt: meta.builtAt,
      builtWith: db.builtWith,
      ageDays,
      maxAgeDays,
      stale: ageDays > maxAgeDays,
      sizeBytes: statSync(dbPath).size,
      counts: db.counts(),
      sources: meta.sources,
      ecosystems: db.ecosystemCounts(),
    };
  } finally {
    db.close();
  }
}
