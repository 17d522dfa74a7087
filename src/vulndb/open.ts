/**
 * Read-only access to a built database. Statements are prepared once and records are parsed once
 * per open handle (a scan looks many packages up against the same few thousand records).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BulwarkError } from '../core/errors.js';
import { fallbackNormalizeName, SCHEMA_VERSION, type NormalizeName } from './store.js';
import type { DbMetadata, EpssEntry, KevEntry, OsvRecord, VulnDb } from './types.js';

export interface OpenOptions {
  /** must be the normaliser the database was built with (the ecosystems module's) */
  normalizeName?: NormalizeName;
  /** most parsed records kept per handle before the memo is reset */
  maxCachedRecords?: number;
}

/** The VulnDb interface plus what `db status` and the alias join need. */
export interface OpenedVulnDb extends VulnDb {
  readonly path: string;
  /** non-withdrawn records whose id is one of `ids` or aliases one of them */
  related(ids: readonly string[]): OsvRecord[];
  /** every id linked to `id` through aliases or upstream, in either direction */
  aliasesOf(id: string): string[];
  /** records per affected ecosystem (withdrawn excluded) */
  ecosystemCounts(): { ecosystem: string; records: number }[];
  counts(): { records: number; withdrawn: number; kev: number; epss: number };
}

interface SourceRow {
  name: string;
  kind: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  fetched_at: string;
  records: number;
  bad_records: number;
}

export interface SourceInfo {
  name: string;
  kind: string;
  url: string;
  records: number;
  badRecords: number;
  fetchedAt: string;
  etag?: string;
  lastModified?: string;
}

function sourceInfo(r: SourceRow): SourceInfo {
  return {
    name: r.name,
    kind: r.kind,
    url: r.url,
    records: r.records,
    badRecords: r.bad_records,
    fetchedAt: r.fetched_at,
    ...(r.etag ? { etag: r.etag } : {}),
    ...(r.last_modified ? { lastModified: r.last_modified } : {}),
  };
}

function corrupt(path: string, e: unknown): BulwarkError {
  const msg = e instanceof Error ? e.message : String(e);
  return new BulwarkError('DATABASE', `not a usable bulwark database (${msg})`, { input: path, cause: e });
}

/** Opens and checks the schema version; the handle is read-only. */
export function openDatabaseFile(path: string): { db: Database.Database; meta: Map<string, string> } {
  if (!existsSync(path))
    throw new BulwarkError('DATABASE', 'no vulnerability database here; run `bulwark db update`', {
      input: path,
    });
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw corrupt(path, e);
  }
  let meta: Map<string, string>;
  try {
    const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
    meta = new Map(rows.map((r) => [r.key, r.value]));
  } catch (e) {
    db.close();
    throw corrupt(path, e);
  }
  const version = Number(meta.get('schema_version'));
  if (!Number.isInteger(version)) {
    db.close();
    throw new BulwarkError('DATABASE', 'database has no schema version', { input: path });
  }
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new BulwarkError(
      'DATABASE',
      `database schema ${version} is newer than this bulwark supports (${SCHEMA_VERSION}); upgrade bulwark`,
      { input: path },
    );
  }
  if (version < SCHEMA_VERSION) {
    db.close();
    throw new BulwarkError('DATABASE', `database schema ${version} is outdated; run \`bulwark db update\``, {
      input: path,
    });
  }
  return { db, meta };
}

export function readSources(db: Database.Database): SourceInfo[] {
  return (db.prepare('SELECT * FROM sources ORDER BY name').all() as SourceRow[]).map(sourceInfo);
}

export function openVulnDb(path: string, opts: OpenOptions = {}): OpenedVulnDb {
  const { db, meta } = openDatabaseFile(path);
  // Read-only: memory-mapped pages skip a copy per page read, which is most of a lookup's cost.
  db.pragma('mmap_size = 1073741824');
  db.pragma('cache_size = -32768');
  const normalize = opts.normalizeName ?? fallbackNormalizeName;
  const maxCached = opts.maxCachedRecords ?? 100_000;
  let byEcoStmt, jsonStmt, kevStmt, epssStmt, aliasStmt;
  try {
    // A scan looks up thousands of names in a few ecosystems and most have no advisory: one index
    // scan per ecosystem answers every miss from memory, and only hits read record JSON.
    byEcoStmt = db
      .prepare('SELECT name, record_id FROM affected WHERE ecosystem = ? ORDER BY name, record_id')
      .raw();
    jsonStmt = db.prepare('SELECT json FROM records WHERE id = ? AND withdrawn IS NULL').pluck();
    kevStmt = db.prepare('SELECT cve, date_added, due_date, ransomware, name FROM kev WHERE cve = ?');
    epssStmt = db.prepare('SELECT cve, epss, percentile FROM epss WHERE cve = ?');
    aliasStmt = db
      .prepare('SELECT alias FROM aliases WHERE id = @id UNION SELECT id FROM aliases WHERE alias = @id')
      .pluck();
  } catch (e) {
    db.close();
    throw corrupt(path, e);
  }
  const cache = new Map<string, OsvRecord>();
  // `Alpine:v3.9` before `Alpine:v3.10`, `Debian:9` before `Debian:10`.
  const byName = new Intl.Collator('en', { numeric: true });
  let ecos: string[] | undefined;

  const byEcosystem = new Map<string, Map<string, string[]>>();
  const nameIndex = (ecosystem: string): Map<string, string[]> => {
    let idx = byEcosystem.get(ecosystem);
    if (idx) return idx;
    idx = new Map();
    for (const [n, id] of byEcoStmt.all(ecosystem) as [string, string][]) {
      const ids = idx.get(n);
      if (!ids) idx.set(n, [id]);
      else if (ids[ids.length - 1] !== id) ids.push(id);
    }
    byEcosystem.set(ecosystem, idx);
    return idx;
  };

  // A scan asks about the same CVEs for many packages (one DSA, fifteen CVEs, ten binaries):
  // alias, KEV and EPSS answers are memoised per handle, misses included.
  const aliasMemo = new Map<string, string[]>();
  const aliasesOf = (id: string): string[] => {
    let a = aliasMemo.get(id);
    if (!a) {
      a = aliasStmt.all({ id }) as string[];
      aliasMemo.set(id, a);
    }
    return [...a];
  };
  const kevMemo = new Map<string, KevEntry | null>();
  const relatedMemo = new Map<string, OsvRecord[]>();
  const epssMemo = new Map<string, EpssEntry | null>();
  const epssOf = (id: string): EpssEntry | undefined => {
    let e = epssMemo.get(id);
    if (e === undefined) {
      const r = epssStmt.get(id) as EpssEntry | undefined;
      e = r ? { cve: r.cve, epss: r.epss, percentile: r.percentile } : null;
      epssMemo.set(id, e);
    }
    return e ?? undefined;
  };

  /** The ids themselves first, then everything they alias (a GHSA id finds its CVE). */
  const candidates = (ids: readonly string[]): string[] => {
    const out = new Set(ids);
    // CVE ids are what KEV and EPSS are keyed by; only other ids (GHSA, DSA, ...) need their aliases
    for (const id of ids) if (!id.startsWith('CVE-')) for (const a of aliasesOf(id)) out.add(a);
    return [...out];
  };

  const kevOf = (cve: string): KevEntry | undefined => {
    const memo = kevMemo.get(cve);
    if (memo !== undefined) return memo ?? undefined;
    const found = kevRow(cve);
    kevMemo.set(cve, found ?? null);
    return found;
  };
  const kevRow = (cve: string): KevEntry | undefined => {
    const r = kevStmt.get(cve) as
      | {
          cve: string;
          date_added: string;
          due_date: string | null;
          ransomware: string | null;
          name: string | null;
        }
      | undefined;
    if (!r) return undefined;
    return {
      cveID: r.cve,
      dateAdded: r.date_added,
      ...(r.due_date ? { dueDate: r.due_date } : {}),
      ...(r.ransomware ? { knownRansomwareCampaignUse: r.ransomware } : {}),
      ...(r.name ? { vulnerabilityName: r.name } : {}),
    };
  };

  /** A non-withdrawn record, parsed once per handle. */
  const recordById = (id: string): OsvRecord | undefined => {
    let rec = cache.get(id);
    if (!rec) {
      const json = jsonStmt.get(id) as string | undefined;
      if (json === undefined) return undefined;
      rec = JSON.parse(json) as OsvRecord;
      if (cache.size >= maxCached) cache.clear();
      cache.set(id, rec);
    }
    return rec;
  };

  return {
    path,
    lookup(ecosystem, name) {
      const ids = nameIndex(ecosystem).get(normalize(ecosystem, name));
      if (!ids) return [];
      const out: OsvRecord[] = [];
      for (const id of ids) {
        const rec = recordById(id);
        if (rec) out.push(rec);
      }
      return out;
    },
    ecosystems() {
      ecos ??= (db.prepare('SELECT DISTINCT ecosystem FROM affected').pluck().all() as string[]).sort(
        byName.compare,
      );
      return [...ecos];
    },
    kev(cveIds) {
      for (const id of cveIds) {
        const hit = kevOf(id);
        if (hit) return hit;
      }
      for (const id of candidates(cveIds)) {
        const hit = kevOf(id);
        if (hit) return hit;
      }
      return undefined;
    },
    epss(cveIds) {
      let best: EpssEntry | undefined;
      for (const id of candidates(cveIds)) {
        const r = epssOf(id);
        if (r && (!best || r.epss > best.epss)) best = r;
      }
      return best;
    },
    related(ids) {
      const out = new Map<string, OsvRecord>();
      for (const id of ids) {
        let recs = relatedMemo.get(id);
        if (!recs) {
          recs = [];
          for (const rid of [id, ...aliasesOf(id)]) {
            const rec = recordById(rid);
            if (rec) recs.push(rec);
          }
          relatedMemo.set(id, recs);
        }
        for (const r of recs) out.set(r.id, r);
      }
      return [...out.values()];
    },
    aliasesOf,
    metadata(): DbMetadata {
      return {
        schemaVersion: Number(meta.get('schema_version')),
        builtAt: meta.get('built_at') ?? '',
        sources: readSources(db).map((s) => ({
          name: s.name,
          url: s.url,
          records: s.records,
          fetchedAt: s.fetchedAt,
          ...(s.etag ? { etag: s.etag } : {}),
          ...(s.lastModified ? { lastModified: s.lastModified } : {}),
          kind: s.kind,
          badRecords: s.badRecords,
        })),
      };
    },
    ecosystemCounts() {
      const rows = db
        .prepare('SELECT ecosystem, COUNT(DISTINCT record_id) AS records FROM affected GROUP BY ecosystem')
        .all() as { ecosystem: string; records: number }[];
      return rows.sort((a, b) => byName.compare(a.ecosystem, b.ecosystem));
    },
    counts() {
      const one = (sql: string): number => db.prepare(sql).pluck().get() as number;
      return {
        records: one('SELECT COUNT(*) FROM records WHERE withdrawn IS NULL'),
        withdrawn: one('SELECT COUNT(*) FROM records WHERE withdrawn IS NOT NULL'),
        kev: one('SELECT COUNT(*) FROM kev'),
        epss: one('SELECT COUNT(*) FROM epss'),
      };
    },
    close() {
      cache.clear();
      byEcosystem.clear();
      if (db.open) db.close();
    },
  };
}
