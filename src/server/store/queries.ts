/** Reads of the stored history. Every filter is a bound parameter; nothing is pasted into SQL. */
import { sql } from 'kysely';
import type { Store } from './open.js';

export interface ImageRow {
  id: number;
  repository: string;
  tag: string;
  digest: string | null;
  createdAt: string;
  updatedAt: string;
  scans: number;
  lastScanId: number | null;
  lastScannedAt: string | null;
  openFindings: number;
}

export interface ImageFilter {
  id?: number;
  /** substring of the repository (case-sensitive, `%` and `_` match themselves) */
  repository?: string;
  tag?: string;
  digest?: string;
  limit?: number;
  offset?: number;
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listImages(store: Store, f: ImageFilter = {}): Promise<ImageRow[]> {
  let q = store.db.selectFrom('images as i').select([
    'i.id',
    'i.repository',
    'i.tag',
    'i.digest',
    'i.created_at',
    'i.updated_at',
    (eb) =>
      eb
        .selectFrom('scans')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('scans.image_id', '=', 'i.id')
        .as('scans'),
    (eb) =>
      eb
        .selectFrom('scans')
        .select('scans.id')
        .whereRef('scans.image_id', '=', 'i.id')
        .orderBy('scans.scanned_at', 'desc')
        .orderBy('scans.id', 'desc')
        .limit(1)
        .as('last_scan_id'),
    (eb) =>
      eb
        .selectFrom('scans')
        .select((e2) => e2.fn.max('scans.scanned_at').as('m'))
        .whereRef('scans.image_id', '=', 'i.id')
        .as('last_scanned_at'),
    (eb) =>
      eb
        .selectFrom('finding_state')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('finding_state.image_id', '=', 'i.id')
        .where('finding_state.fixed_at', 'is', null)
        .as('open_findings'),
  ]);
  if (f.repository)
    q = q.where(sql<boolean>`i.repository like ${`%${likeEscape(f.repository)}%`} escape '\\'`);
  if (f.id !== undefined) q = q.where('i.id', '=', f.id);
  if (f.tag !== undefined) q = q.where('i.tag', '=', f.tag);
  if (f.digest !== undefined) q = q.where('i.digest', '=', f.digest);
  const rows = await q
    .orderBy('i.repository')
    .orderBy('i.tag')
    .limit(f.limit ?? 100)
    .offset(f.offset ?? 0)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    repository: r.repository,
    tag: r.tag,
    digest: r.digest,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    scans: Number(r.scans ?? 0),
    lastScanId: r.last_scan_id ?? null,
    lastScannedAt: (r.last_scanned_at as string | null) ?? null,
    openFindings: Number(r.open_findings ?? 0),
  }));
}

export async function getImage(store: Store, id: number) {
  return store.db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface ScanRow {
  id: number;
  imageId: number;
  digest: string | null;
  scannedAt: string;
  receivedAt: string;
  dbVersion: string | null;
  toolVersion: string;
  findings: number;
}

export async function listScans(store: Store, imageId: number, f: { limit?: number; offset?: number } = {}) {
  const rows = await store.db
    .selectFrom('scans')
    .select([
      'id',
      'image_id',
      'digest',
      'scanned_at',
      'received_at',
      'db_version',
      'tool_version',
      'finding_count',
    ])
    .where('image_id', '=', imageId)
    .orderBy('scanned_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit ?? 100)
    .offset(f.offset ?? 0)
    .execute();
  return rows.map(scanRow);
}

function scanRow(r: {
  id: number;
  image_id: number;
  digest: string | null;
  scanned_at: string;
  received_at: string;
  db_version: string | null;
  tool_version: string;
  finding_count: number;
}): ScanRow {
  return {
    id: r.id,
    imageId: r.image_id,
    digest: r.digest,
    scannedAt: r.scanned_at,
    receivedAt: r.received_at,
    dbVersion: r.db_version,
    toolVersion: r.tool_version,
    findings: r.finding_count,
  };
}

export async function getScan(
  store: Store,
  id: number,
): Promise<(ScanRow & { report: unknown }) | undefined> {
  const r = await store.db.selectFrom('scans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  return { ...scanRow(r), report: JSON.parse(r.report) as unknown };
}

export interface DiffFinding {
  vulnId: string;
  packageKey: string;
  packageName: string;
  packageVersion: string;
  ecosystem: string;
  severity: string;
  fixedVersion: string | null;
}

export interface ScanDiff {
  from: number;
  to: number;
  new: DiffFinding[];
  fixed: DiffFinding[];
  unchanged: DiffFinding[];
}

async function findingsOf(store: Store, scanId: number): Promise<Map<string, DiffFinding>> {
  const rows = await store.db
    .selectFrom('findings')
    .select([
      'vuln_id',
      'package_key',
      'package_name',
      'package_version',
      'ecosystem',
      'severity',
      'fixed_version',
    ])
    .where('scan_id', '=', scanId)
    .execute();
  const out = new Map<string, DiffFinding>();
  for (const r of rows)
    out.set(`${r.vuln_id}\u0000${r.package_key}`, {
      vulnId: r.vuln_id,
      packageKey: r.package_key,
      packageName: r.package_name,
      packageVersion: r.package_version,
      ecosystem: r.ecosystem,
      severity: r.severity,
      fixedVersion: r.fixed_version,
    });
  return out;
}

const byKey = (a: DiffFinding, b: DiffFinding) =>
  a.vulnId < b.vulnId
    ? -1
    : a.vulnId > b.vulnId
      ? 1
      : a.packageKey < b.packageKey
        ? -1
        : a.packageKey > b.packageKey
          ? 1
          : 0;

/** new: in `to` only; fixed: in `from` only; unchanged: in both (as `to` has it). */
export async function diffScans(store: Store, from: number, to: number): Promise<ScanDiff> {
  const [a, b] = await Promise.all([findingsOf(store, from), findingsOf(store, to)]);
  const out: ScanDiff = { from, to, new: [], fixed: [], unchanged: [] };
  for (const [k, f] of b) (a.has(k) ? out.unchanged : out.new).push(f);
  for (const [k, f] of a) if (!b.has(k)) out.fixed.push(f);
  out.new.sort(byKey);
  out.fixed.sort(byKey);
  out.unchanged.sort(byKey);
  return out;
}

export async function scanImageId(store: Store, scanId: number): Promise<number | undefined> {
  const r = await store.db.selectFrom('scans').select('image_id').where('id', '=', scanId).executeTakeFirst();
  return r?.image_id;
}

export async function findingStates(store: Store, imageId: number) {
  return store.db
    .selectFrom('finding_state')
    .selectAll()
    .where('image_id', '=', imageId)
    .orderBy('vuln_id')
    .orderBy('package_key')
    .execute();
}
