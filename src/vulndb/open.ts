/**
 * Read-only access to a built database. Statements are prepared once; the matcher's candidates and
 * record heads are parsed once per open handle (a scan looks many packages up against the same few
 * thousand records).
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BulwarkError } from '../core/errors.js';
import { ratingReader } from './open-ratings.js';
import { fallbackNormalizeName, SCHEMA_VERSION, type NormalizeName } from './store.js';
import type {
  DbMetadata,
  EpssEntry,
  KevEntry,
  MatchCandidate,
  NvdRating,
  OsvAffected,
  OsvRecord,
  PrefetchIds,
  VendorRating,
  VulnDb,
} from './types.js';

export interface OpenOptions {
  /** must be the normaliser the database was built with (the ecosystems module's) */
  normalizeName?: NormalizeName;
  /** most parsed records kept per handle before the memo is reset */
  maxCachedRecords?: number;
}

/** The VulnDb interface plus what `db status` and the alias join need. */
export interface OpenedVulnDb extends VulnDb {
  readonly path: string;
  /** the `normalizerId` the database was built with (how its index rows were derived) */
  readonly builtWith: string;
  candidates(ecosystem: string, name: string): MatchCandidate[];
  prefetch(ecosystem: string, names: Iterable<string>): void;
  prefetchIds(ids: PrefetchIds): void;
  /**
   * Severity ratings (id, vectors, labels) of the non-withdrawn records whose id is one of `ids`
   * or linked to one by an alias or upstream link in either direction
   */
  related(ids: readonly string[]): OsvRecord[];
  /** every id linked to `id` through aliases or upstream, in either direction */
  aliasesOf(id: string): string[];
  nvd(cves: readonly string[]): NvdRating[];
  vendorRatings(cves: readonly string[]): VendorRating[];
  /** records per affected ecosystem (withdrawn excluded) */
  ecosystemCounts(): { ecosystem: string; records: number }[];
  counts(): { records: number; withdrawn: number; kev: number; epss: number; nvd: number; vendor: number };
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

/** What to run when the database must be refreshed, the offline ways included. */
export const UPDATE_HINT =
  'run `bulwark db update` (offline: `bulwark db update --mirror DIR|URL`, or `bulwark db import FILE`)';

/** Every way to get a database, the offline ones included (the public feeds need the network). */
export const NO_DATABASE_HELP =
  'no vulnerability database here. Get one with `bulwark db update` (fetches OSV, CISA KEV and EPSS), ' +
  'or offline with `bulwark db update --mirror DIR|URL` (an OSV mirror folder or server) or ' +
  '`bulwark db import FILE` (a `db export` bundle); `bulwark` with no arguments scans the bundled demo ' +
  'with its own database';

function corrupt(path: string, e: unknown): BulwarkError {
  const msg = e instanceof Error ? e.message : String(e);
  return new BulwarkError('DATABASE', `not a usable bulwark database (${msg})`, { input: path, cause: e });
}

/** Opens and checks the schema version; the handle is read-only. */
export function openDatabaseFile(path: string): { db: Database.Database; meta: Map<string, string> } {
  if (!existsSync(path)) throw new BulwarkError('DATABASE', NO_DATABASE_HELP, { input: path });
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
    throw new BulwarkError('DATABASE', `database schema ${version} is outdated; ${UPDATE_HINT}`, {
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
  let byEcoStmt, entriesStmt, batchStmt, jsonStmt, headStmt, ratedStmt, ratedBatchStmt, kevStmt, epssStmt;
  let epssBatchStmt, aliasStmt, headBatchStmt;
  try {
    // A scan looks up thousands of names in a few ecosystems and most have no advisory: one index
    // scan per ecosystem answers every miss from memory, and only hits read record JSON.
    byEcoStmt = db
      .prepare('SELECT name, record_id FROM affected WHERE ecosystem = ? ORDER BY name, record_id')
      .raw();
    entriesStmt = db
      .prepare('SELECT record_id, entries FROM affected WHERE ecosystem = ? AND name = ? ORDER BY record_id')
      .raw();
    // Every name of an ecosystem in one statement (a JSON array bound as one parameter): a
    // statement costs microseconds whatever it returns, and a scan asks for thousands of names.
    // (Unordered: sorting in SQL costs more than sorting each name's few candidates here.)
    batchStmt = db
      .prepare(
        'SELECT name, record_id, entries FROM affected WHERE ecosystem = ? AND name IN (SELECT value FROM json_each(?))',
      )
      .raw();
    jsonStmt = db.prepare('SELECT json FROM records WHERE id = ? AND withdrawn IS NULL').pluck();
    headStmt = db.prepare('SELECT head FROM records WHERE id = ? AND withdrawn IS NULL').pluck();
    headBatchStmt = db
      .prepare(
        'SELECT id, head FROM records WHERE id IN (SELECT value FROM json_each(?)) AND withdrawn IS NULL',
      )
      .raw();
    ratedStmt = db.prepare('SELECT rating FROM rated WHERE key = ? ORDER BY record_id').pluck();
    ratedBatchStmt = db
      .prepare(
        'SELECT key, rating FROM rated WHERE key IN (SELECT value FROM json_each(?)) ORDER BY key, record_id',
      )
      .raw();
    epssBatchStmt = db.prepare(
      'SELECT cve, epss, percentile FROM epss WHERE cve IN (SELECT value FROM json_each(?))',
    );
    kevStmt = db.prepare('SELECT cve, date_added, due_date, ransomware, name FROM kev');
    epssStmt = db.prepare('SELECT cve, epss, percentile FROM epss WHERE cve = ?');
    aliasStmt = db
      .prepare('SELECT alias FROM aliases WHERE id = @id UNION SELECT id FROM aliases WHERE alias = @id')
      .pluck();
  } catch (e) {
    db.close();
    throw corrupt(path, e);
  }
  const cache = new Map<string, OsvRecord>();
  let ratings: ReturnType<typeof ratingReader>;
  try {
    ratings = ratingReader(db);
  } catch (e) {
    db.close();
    throw corrupt(path, e);
  }
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
  // alias, rating and EPSS answers are memoised per handle, misses included.
  const aliasMemo = new Map<string, string[]>();
  const aliasesOf = (id: string): string[] => {
    let a = aliasMemo.get(id);
    if (!a) {
      a = aliasStmt.all({ id }) as string[];
      aliasMemo.set(id, a);
    }
    return [...a];
  };
  const relatedMemo = new Map<string, OsvRecord[]>();
  const epssMemo = new Map<string, EpssEntry | null>();
  // a database built without EPSS answers every CVE from this one check
  let epssRows: boolean | undefined;
  const hasEpss = (): boolean => (epssRows ??= db.prepare('SELECT 1 FROM epss LIMIT 1').get() !== undefined);
  const epssOf = (id: string): EpssEntry | undefined => {
    if (!hasEpss()) return undefined;
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

  // The catalogue holds about 1,500 entries: read whole on first use.
  let kevIndex: Map<string, KevEntry> | undefined;
  const kevOf = (cve: string): KevEntry | undefined => {
    if (!kevIndex) {
      kevIndex = new Map();
      for (const r of kevStmt.all() as {
        cve: string;
        date_added: string;
        due_date: string | null;
        ransomware: string | null;
        name: string | null;
      }[]) {
        kevIndex.set(r.cve, {
          cveID: r.cve,
          dateAdded: r.date_added,
          ...(r.due_date ? { dueDate: r.due_date } : {}),
          ...(r.ransomware ? { knownRansomwareCampaignUse: r.ransomware } : {}),
          ...(r.name ? { vulnerabilityName: r.name } : {}),
        });
      }
    }
    const hit = kevIndex.get(cve);
    return hit ? { ...hit } : undefined;
  };

  /** A non-withdrawn record, whole: parsed for every call (only `lookup` wants whole records). */
  const fullRecord = (id: string): OsvRecord | undefined => {
    const json = jsonStmt.get(id) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as OsvRecord);
  };

  /** A non-withdrawn record's head (see views.ts), parsed once per handle. */
  const headById = (id: string): OsvRecord | undefined => {
    let rec = cache.get(id);
    if (!rec) {
      const json = headStmt.get(id) as string | undefined;
      if (json === undefined) return undefined;
      rec = JSON.parse(json) as OsvRecord;
      if (cache.size >= maxCached) cache.clear();
      cache.set(id, rec);
    }
    return rec;
  };

  // Every binary of a source package, and every image layer listing the same package, asks for
  // the same name: candidates are parsed once per handle, heads only when a candidate matches.
  const candidateMemo = new Map<string, MatchCandidate[]>();
  const candidate = (id: string, entries: string): MatchCandidate => ({
    id,
    entries: JSON.parse(entries) as OsvAffected[],
    record: () => headById(id),
  });
  const remember = (key: string, found: MatchCandidate[]) => {
    if (candidateMemo.size >= maxCached) candidateMemo.clear();
    candidateMemo.set(key, found);
  };
  const candidatesOf = (ecosystem: string, name: string): MatchCandidate[] => {
    const normalized = normalize(ecosystem, name);
    const key = `${ecosystem}\0${normalized}`;
    let found = candidateMemo.get(key);
    if (!found) {
      found = nameIndex(ecosystem).has(normalized)
        ? (entriesStmt.all(ecosystem, normalized) as [string, string][]).map(([id, e]) => candidate(id, e))
        : [];
      remember(key, found);
    }
    return found;
  };
  const prefetch = (ecosystem: string, names: Iterable<string>): void => {
    const wanted = new Set<string>();
    for (const n of names) {
      const normalized = normalize(ecosystem, n);
      if (!candidateMemo.has(`${ecosystem}\0${normalized}`)) wanted.add(normalized);
    }
    if (wanted.size === 0) return;
    const found = new Map<string, MatchCandidate[]>();
    for (const [n, id, e] of batchStmt.all(ecosystem, JSON.stringify([...wanted])) as [
      string,
      string,
      string,
    ][]) {
      const list = found.get(n);
      if (list) list.push(candidate(id, e));
      else found.set(n, [candidate(id, e)]);
    }
    for (const n of wanted) {
      const list = found.get(n) ?? [];
      remember(
        `${ecosystem}\0${n}`,
        list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      );
    }
  };

  const prefetchIds = (ids: PrefetchIds): void => {
    if (ids.ratings) ratings.prefetch(ids.ratings);
    const recordsWanted = [...new Set(ids.records ?? [])].filter((id) => !cache.has(id));
    if (recordsWanted.length) {
      for (const [id, json] of headBatchStmt.all(JSON.stringify(recordsWanted)) as [string, string][]) {
        if (cache.size >= maxCached) cache.clear();
        cache.set(id, JSON.parse(json) as OsvRecord);
      }
    }
    const relatedWanted = [...new Set(ids.related ?? [])].filter((id) => !relatedMemo.has(id));
    if (relatedWanted.length) {
      const found = new Map<string, OsvRecord[]>();
      for (const [key, json] of ratedBatchStmt.all(JSON.stringify(relatedWanted)) as [string, string][]) {
        const rec = JSON.parse(json) as OsvRecord;
        const list = found.get(key);
        if (list) list.push(rec);
        else found.set(key, [rec]);
      }
      for (const id of relatedWanted) relatedMemo.set(id, found.get(id) ?? []);
    }
    if (!hasEpss()) return;
    const epssWanted = [...new Set(ids.epss ?? [])].filter((id) => !epssMemo.has(id));
    if (epssWanted.length === 0) return;
    for (const id of epssWanted) epssMemo.set(id, null);
    for (const r of epssBatchStmt.all(JSON.stringify(epssWanted)) as EpssEntry[])
      epssMemo.set(r.cve, { cve: r.cve, epss: r.epss, percentile: r.percentile });
  };

  return {
    path,
    builtWith: meta.get('normalizer') ?? '',
    lookup(ecosystem, name) {
      const ids = nameIndex(ecosystem).get(normalize(ecosystem, name));
      if (!ids) return [];
      const out: OsvRecord[] = [];
      for (const id of ids) {
        const rec = fullRecord(id);
        if (rec) out.push(rec);
      }
      return out;
    },
    candidates: candidatesOf,
    prefetch,
    prefetchIds,
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
          recs = (ratedStmt.all(id) as string[]).map((json) => JSON.parse(json) as OsvRecord);
          relatedMemo.set(id, recs);
        }
        for (const r of recs) out.set(r.id, r);
      }
      return [...out.values()];
    },
    aliasesOf,
    nvd: (cves) => ratings.nvd(cves),
    vendorRatings: (cves) => ratings.vendorRatings(cves),
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
        ...ratings.counts(),
      };
    },
    close() {
      cache.clear();
      candidateMemo.clear();
      byEcosystem.clear();
      if (db.open) db.close();
    },
  };
}
