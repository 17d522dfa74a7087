/**
 * The SQLite layout and the builder that writes a new database file. A build always goes into a
 * fresh temp file beside the target and is renamed over it only when complete, so readers never
 * see a half-built database and a failed or killed build leaves the previous one untouched.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { BulwarkError } from '../core/errors.js';
import type { ParsedOsvRecord } from './schema.js';
import type { VendorRow } from './debian-tracker.js';
import type { NvdEntry } from './nvd.js';
import type { EpssEntry, KevEntry, OsvAffected, OsvRecord } from './types.js';
import { matchEntry, recordViews } from './views.js';

/** Bump on any incompatible change; readers refuse newer files and ask for an update on older. */
export const SCHEMA_VERSION = 3;

export type NormalizeName = (ecosystem: string, name: string) => string;

/**
 * The listed `versions` an affected entry must keep in the matcher's copy. A listed version its
 * own ECOSYSTEM ranges already cover adds nothing to matching (an installed version equal to it is
 * in the same ranges), and PyPI lists enumerate whole ranges: dropping them keeps matching from
 * reading and holding hundreds of strings per advisory. The record's full JSON keeps every one.
 */
export type KeepListed = (entry: OsvAffected) => readonly string[];

/**
 * Stand-in until the ecosystems module's `normalizePackageName` is wired in by the caller: PyPI names
 * per PEP 503, everything else as the feed writes it (Debian, Alpine, npm and Go names are already
 * canonical; Maven coordinates are case-sensitive).
 */
export const fallbackNormalizeName: NormalizeName = (ecosystem, name) => {
  const base = ecosystem.split(':')[0];
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  return name;
};

const TABLES_SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sources (
  name TEXT PRIMARY KEY, kind TEXT NOT NULL, url TEXT NOT NULL, etag TEXT, last_modified TEXT,
  fetched_at TEXT NOT NULL, records INTEGER NOT NULL, bad_records INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE records (
  id TEXT PRIMARY KEY, source TEXT NOT NULL, modified TEXT, withdrawn TEXT, json TEXT NOT NULL, head TEXT NOT NULL,
  rating TEXT
);
CREATE TABLE affected (
  ecosystem TEXT NOT NULL, name TEXT NOT NULL, record_id TEXT NOT NULL, source TEXT NOT NULL, entries TEXT NOT NULL
);
CREATE TABLE aliases (id TEXT NOT NULL, alias TEXT NOT NULL, kind TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE kev (cve TEXT PRIMARY KEY, date_added TEXT NOT NULL, due_date TEXT, ransomware TEXT, name TEXT) WITHOUT ROWID;
CREATE TABLE epss (cve TEXT PRIMARY KEY, epss REAL NOT NULL, percentile REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE nvd (cve TEXT NOT NULL, source TEXT NOT NULL, last_modified TEXT NOT NULL, status TEXT NOT NULL, severity TEXT NOT NULL, PRIMARY KEY (cve, source)) WITHOUT ROWID;
CREATE TABLE vendor (cve TEXT NOT NULL, ecosystem TEXT NOT NULL, package TEXT NOT NULL, vendor TEXT NOT NULL, label TEXT NOT NULL, source TEXT NOT NULL, PRIMARY KEY (cve, ecosystem, package, vendor)) WITHOUT ROWID;
`;

// Created after the bulk insert: building an index once is much cheaper than keeping it up to date.
const INDEX_SQL = `
CREATE INDEX affected_lookup ON affected (ecosystem, name, record_id);
CREATE INDEX aliases_by_id ON aliases (id, alias);
CREATE INDEX aliases_by_alias ON aliases (alias, id);
`;

// Severity ratings by every id that reaches them through one alias or upstream link, in either
// direction, or by the record's own id: the matcher rates a Debian advisory with one index look-up
// per CVE instead of an alias query plus a record read per linked record.
const RATED_SQL = `
CREATE TABLE rated (key TEXT NOT NULL, record_id TEXT NOT NULL, rating TEXT NOT NULL, PRIMARY KEY (key, record_id)) WITHOUT ROWID;
INSERT OR IGNORE INTO rated SELECT id, id, rating FROM records WHERE rating IS NOT NULL AND withdrawn IS NULL;
INSERT OR IGNORE INTO rated SELECT a.alias, r.id, r.rating FROM aliases a JOIN records r ON r.id = a.id
  WHERE r.rating IS NOT NULL AND r.withdrawn IS NULL;
INSERT OR IGNORE INTO rated SELECT a.id, r.id, r.rating FROM aliases a JOIN records r ON r.id = a.alias
  WHERE r.rating IS NOT NULL AND r.withdrawn IS NULL;
`;

export interface SourceMeta {
  name: string;
  /** `nvd`: NVD CVSS (API or feed files); `vendor`: a distribution's own ratings (Debian tracker) */
  kind: 'osv' | 'kev' | 'epss' | 'nvd' | 'vendor';
  url: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
  fetchedAt: string;
  records: number;
  badRecords: number;
}

/** `<db>.tmp-<pid>-<rand>`: the pid lets a later update remove files left by a killed one. */
export function tempDbPath(dbPath: string): string {
  return `${dbPath}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp databases and feed downloads of processes that are gone (killed mid-update). */
export async function removeStaleTemps(dbPath: string): Promise<string[]> {
  const dir = path.dirname(dbPath);
  const prefix = `${path.basename(dbPath)}.`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const n of names) {
    const m = n.startsWith(prefix)
      ? /^(?:tmp|import)-(\d+)-[0-9a-f]+(?:-journal)?$/.exec(n.slice(prefix.length))
      : /^\.bulwark-feed-(\d+)-[0-9a-f]+$/.exec(n);
    if (!m || pidAlive(Number(m[1]))) continue;
    await rm(path.join(dir, n), { force: true });
    removed.push(n);
  }
  return removed;
}

export function fsyncPath(p: string, dir = false): void {
  let fd: number | undefined;
  try {
    fd = openSync(p, dir ? 'r' : 'r+');
    fsyncSync(fd);
  } catch (e) {
    // Some filesystems refuse fsync on directories; the file itself was synced.
    if (!dir) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** fsync + atomic rename + fsync of the directory, so the swap survives a crash. */
export async function atomicReplace(tmp: string, target: string): Promise<void> {
  fsyncPath(tmp);
  await rename(tmp, target);
  fsyncPath(path.dirname(target), true);
}

export class DbBuilder {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly normalizeName: NormalizeName;
  private readonly keepListed: KeepListed | undefined;
  private readonly insRecord: Database.Statement;
  private readonly insAffected: Database.Statement;
  private readonly insAlias: Database.Statement;
  private readonly insKev: Database.Statement;
  private readonly insEpss: Database.Statement;
  private readonly insSource: Database.Statement;
  private readonly upsNvd: Database.Statement;
  private readonly countNvdStmt: Database.Statement;
  private readonly insVendor: Database.Statement;
  private attached = false;
  private closed = false;

  constructor(tmpPath: string, opts: { normalizeName: NormalizeName; keepListed?: KeepListed | undefined }) {
    this.path = tmpPath;
    this.normalizeName = opts.normalizeName;
    this.keepListed = opts.keepListed;
    this.db = new Database(tmpPath);
    // No journal on disk: the file is private until renamed, so a crash just leaves a temp file to
    // delete; an in-memory journal still lets one failing optional feed roll back its own rows.
    this.db.pragma('journal_mode = MEMORY');
    this.db.pragma('synchronous = OFF');
    this.db.pragma('locking_mode = EXCLUSIVE');
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('cache_size = -65536');
    this.db.exec(TABLES_SQL);
    this.insRecord = this.db.prepare(
      'INSERT OR IGNORE INTO records (id, source, modified, withdrawn, json, head, rating) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insAffected = this.db.prepare(
      'INSERT INTO affected (ecosystem, name, record_id, source, entries) VALUES (?, ?, ?, ?, ?)',
    );
    this.insAlias = this.db.prepare('INSERT INTO aliases (id, alias, kind, source) VALUES (?, ?, ?, ?)');
    this.insKev = this.db.prepare(
      'INSERT OR REPLACE INTO kev (cve, date_added, due_date, ransomware, name) VALUES (?, ?, ?, ?, ?)',
    );
    this.insEpss = this.db.prepare('INSERT OR REPLACE INTO epss (cve, epss, percentile) VALUES (?, ?, ?)');
    // A CVE can come from a yearly feed and again from the `modified` feed: each source keeps its
    // own row and readers take the newest; within one source (API increments) the newer replaces.
    this.upsNvd = this.db.prepare(
      `INSERT INTO nvd (cve, source, last_modified, status, severity) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (cve, source) DO UPDATE SET last_modified = excluded.last_modified,
         status = excluded.status, severity = excluded.severity
       WHERE excluded.last_modified >= nvd.last_modified`,
    );
    this.countNvdStmt = this.db.prepare('SELECT COUNT(*) FROM nvd WHERE source = ?').pluck();
    this.insVendor = this.db.prepare(
      'INSERT OR REPLACE INTO vendor (cve, ecosystem, package, vendor, label, source) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insSource = this.db.prepare(
      `INSERT OR REPLACE INTO sources (name, kind, url, etag, last_modified, fetched_at, records, bad_records)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  begin(): void {
    this.db.exec('BEGIN');
  }

  commit(): void {
    this.db.exec('COMMIT');
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  /**
   * Adds one record; a record already present from another feed folder is kept once. Beside the
   * full JSON go the record's head and, per (ecosystem, normalised name), the entries matching
   * reads (see views.ts).
   */
  addRecord(source: string, rec: ParsedOsvRecord, json: string): void {
    const record = rec as OsvRecord;
    const { head, rating } = recordViews(record);
    const res = this.insRecord.run(
      rec.id,
      source,
      rec.modified ?? null,
      rec.withdrawn ?? null,
      json,
      JSON.stringify(head),
      rating ? JSON.stringify(rating) : null,
    );
    if (res.changes === 0) return;
    if (!rec.withdrawn) {
      const byPackage = new Map<string, OsvAffected[]>();
      for (const a of record.affected ?? []) {
        if (!a.package) continue;
        const key = `${a.package.ecosystem}\0${this.normalizeName(a.package.ecosystem, a.package.name)}`;
        const entries = byPackage.get(key);
        const entry = matchEntry(a, this.keepListed);
        if (entries) entries.push(entry);
        else byPackage.set(key, [entry]);
      }
      for (const [key, entries] of byPackage) {
        const i = key.indexOf('\0');
        this.insAffected.run(key.slice(0, i), key.slice(i + 1), rec.id, source, JSON.stringify(entries));
      }
    }
    for (const alias of new Set(rec.aliases ?? []))
      if (alias !== rec.id) this.insAlias.run(rec.id, alias, 'alias', source);
    for (const up of new Set(rec.upstream ?? []))
      if (up !== rec.id) this.insAlias.run(rec.id, up, 'upstream', source);
  }

  addKev(e: KevEntry): void {
    this.insKev.run(
      e.cveID,
      e.dateAdded,
      e.dueDate ?? null,
      e.knownRansomwareCampaignUse ?? null,
      e.vulnerabilityName ?? null,
    );
  }

  addEpss(e: EpssEntry): void {
    this.insEpss.run(e.cve, e.epss, e.percentile);
  }

  /**
   * One NVD record. Records without a vector rate nothing and are not kept, except rejections:
   * a CVE NVD rejected later loses the rating an older record gave it.
   */
  addNvd(source: string, e: NvdEntry): void {
    if (e.severity.length === 0 && e.status !== 'Rejected') return;
    this.upsNvd.run(e.cve, source, e.lastModified, e.status, JSON.stringify(e.severity));
  }

  /** rows one NVD source holds */
  nvdRows(source: string): number {
    return this.countNvdStmt.get(source) as number;
  }

  addVendor(source: string, r: VendorRow): void {
    this.insVendor.run(r.cve, r.ecosystem, r.package, r.vendor, r.label, source);
  }

  setSource(s: SourceMeta): void {
    this.insSource.run(
      s.name,
      s.kind,
      s.url,
      s.etag ?? null,
      s.lastModified ?? null,
      s.fetchedAt,
      s.records,
      s.badRecords,
    );
  }

  /** Copies one unchanged feed's rows from the previous database instead of downloading it again. */
  copySource(previousPath: string, s: SourceMeta): void {
    if (!this.attached) {
      this.db.prepare('ATTACH DATABASE ? AS prev').run(previousPath);
      this.attached = true;
    }
    this.begin();
    if (s.kind === 'osv') {
      this.db
        .prepare(
          'INSERT OR IGNORE INTO records SELECT id, source, modified, withdrawn, json, head, rating FROM prev.records WHERE source = ?',
        )
        .run(s.name);
      this.db
        .prepare(
          'INSERT INTO affected SELECT ecosystem, name, record_id, source, entries FROM prev.affected WHERE source = ?',
        )
        .run(s.name);
      this.db
        .prepare('INSERT INTO aliases SELECT id, alias, kind, source FROM prev.aliases WHERE source = ?')
        .run(s.name);
    } else if (s.kind === 'nvd') {
      this.db.prepare('INSERT OR REPLACE INTO nvd SELECT * FROM prev.nvd WHERE source = ?').run(s.name);
    } else if (s.kind === 'vendor') {
      this.db.prepare('INSERT OR REPLACE INTO vendor SELECT * FROM prev.vendor WHERE source = ?').run(s.name);
    } else if (s.kind === 'kev') {
      this.db.exec('INSERT OR REPLACE INTO kev SELECT * FROM prev.kev');
    } else {
      this.db.exec('INSERT OR REPLACE INTO epss SELECT * FROM prev.epss');
    }
    this.setSource(s);
    this.commit();
  }

  /** Indexes, metadata, and a closed file ready for `atomicReplace`. */
  finish(meta: Record<string, string>): void {
    if (this.attached) {
      this.db.exec('DETACH DATABASE prev');
      this.attached = false;
    }
    this.begin();
    this.db.exec(INDEX_SQL);
    this.db.exec(RATED_SQL);
    const ins = this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
    ins.run('schema_version', String(SCHEMA_VERSION));
    for (const [k, v] of Object.entries(meta)) ins.run(k, v);
    this.commit();
    this.db.exec('ANALYZE');
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.rollback();
    } catch {
      // the file is discarded anyway
    }
    this.db.close();
  }

  /** Closes and deletes the temp file. */
  async discard(): Promise<void> {
    this.close();
    await rm(this.path, { force: true });
    await rm(`${this.path}-journal`, { force: true });
  }
}

/** Wraps SQLite failures while building (disk full, read-only directory) as DATABASE errors. */
export function dbWriteError(e: unknown, input: string): BulwarkError {
  if (e instanceof BulwarkError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return new BulwarkError('DATABASE', `cannot write database: ${msg}`, { input, cause: e });
}
