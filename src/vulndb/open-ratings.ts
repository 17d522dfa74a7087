/**
 * Reads of the rating tables (NVD CVSS, vendor urgencies) for an open database, memoised per CVE
 * (misses included) and fetched for a whole scan in one statement each, as the other look-ups.
 */
import type Database from 'better-sqlite3';
import type { NvdRating, VendorRating } from './types.js';

export interface RatingReader {
  nvd(cves: readonly string[]): NvdRating[];
  vendorRatings(cves: readonly string[]): VendorRating[];
  prefetch(cves: Iterable<string>): void;
  counts(): { nvd: number; vendor: number };
}

type NvdRow = [cve: string, status: string, severity: string];
type VendorRowTuple = [cve: string, ecosystem: string, pkg: string, vendor: string, label: string];

export function ratingReader(db: Database.Database): RatingReader {
  // newest record first: a CVE from a yearly feed and again from the `modified` feed
  const nvdStmt = db
    .prepare(
      'SELECT cve, status, severity FROM nvd WHERE cve IN (SELECT value FROM json_each(?)) ORDER BY cve, last_modified DESC, source',
    )
    .raw();
  const vendorStmt = db
    .prepare(
      'SELECT cve, ecosystem, package, vendor, label FROM vendor WHERE cve IN (SELECT value FROM json_each(?)) ORDER BY cve, ecosystem, package, vendor',
    )
    .raw();
  const nvdMemo = new Map<string, NvdRating | null>();
  const vendorMemo = new Map<string, VendorRating[]>();
  let present: { nvd: boolean; vendor: boolean } | undefined;
  const has = () =>
    (present ??= {
      nvd: db.prepare('SELECT 1 FROM nvd LIMIT 1').get() !== undefined,
      vendor: db.prepare('SELECT 1 FROM vendor LIMIT 1').get() !== undefined,
    });

  const load = (cves: Iterable<string>): void => {
    const { nvd, vendor } = has();
    const wantNvd = nvd ? [...new Set(cves)].filter((c) => !nvdMemo.has(c)) : [];
    if (wantNvd.length) {
      for (const c of wantNvd) nvdMemo.set(c, null);
      const seen = new Set<string>();
      for (const [cve, status, severity] of nvdStmt.all(JSON.stringify(wantNvd)) as NvdRow[]) {
        if (seen.has(cve)) continue;
        seen.add(cve);
        if (status === 'Rejected') continue;
        nvdMemo.set(cve, { cve, severity: JSON.parse(severity) as NvdRating['severity'] });
      }
    }
    const wantVendor = vendor ? [...new Set(cves)].filter((c) => !vendorMemo.has(c)) : [];
    if (wantVendor.length) {
      for (const c of wantVendor) vendorMemo.set(c, []);
      for (const [cve, ecosystem, pkg, v, label] of vendorStmt.all(
        JSON.stringify(wantVendor),
      ) as VendorRowTuple[])
        vendorMemo.get(cve)!.push({ cve, ecosystem, package: pkg, vendor: v, label });
    }
  };

  return {
    nvd(cves) {
      if (!has().nvd) return [];
      load(cves);
      return cves.map((c) => nvdMemo.get(c)).filter((r): r is NvdRating => !!r);
    },
    vendorRatings(cves) {
      if (!has().vendor) return [];
      load(cves);
      return cves.flatMap((c) => vendorMemo.get(c) ?? []);
    },
    prefetch: load,
    counts() {
      const one = (sql: string): number => db.prepare(sql).pluck().get() as number;
      return { nvd: one('SELECT COUNT(DISTINCT cve) FROM nvd'), vendor: one('SELECT COUNT(*) FROM vendor') };
    },
  };
}
