/**
 * What the dashboard's overview needs, aggregated server-side: per scan, its findings counted by
 * severity, known exploited (CISA KEV) and with a fix, stored once in `scan_summaries` (migration
 * '0007-dashboard'). Ingest writes the summary in the scan's own transaction; scans stored before
 * the migration are summarised from their report the first time the overview asks (in batches).
 * The overview then reads one small row per scan instead of every finding or report.
 */
import type { Kysely, Migration, Transaction } from 'kysely';
import type { JsonReport } from '../../report/index.js';
import type { Dialect } from './migrations.js';
import type { Store } from './open.js';
import type { Database } from './schema.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
export type SeverityKey = (typeof SEVERITIES)[number];

export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  unknown: number;
}

export interface ScanSummary extends SeverityCounts {
  kev: number;
  fixable: number;
}

export function dashboardMigration(_dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('scan_summaries')
        .addColumn('scan_id', 'integer', (c) => c.primaryKey().references('scans.id'))
        .addColumn('image_id', 'integer', (c) => c.notNull().references('images.id'))
        .addColumn('scanned_at', 'text', (c) => c.notNull())
        .addColumn('critical', 'integer', (c) => c.notNull())
        .addColumn('high', 'integer', (c) => c.notNull())
        .addColumn('medium', 'integer', (c) => c.notNull())
        .addColumn('low', 'integer', (c) => c.notNull())
        .addColumn('unknown', 'integer', (c) => c.notNull())
        .addColumn('kev', 'integer', (c) => c.notNull())
        .addColumn('fixable', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('scan_summaries_image_time')
        .on('scan_summaries')
        .columns(['image_id', 'scanned_at'])
        .execute();
    },
  };
}

type FindingLike = Pick<JsonReport['findings'][number], 'severity' | 'kev' | 'fixedVersion'>;

/** A pure count of a report's findings (severity as the report has it; anything else is unknown). */
export function summarise(findings: readonly FindingLike[]): ScanSummary {
  const s: ScanSummary = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, kev: 0, fixable: 0 };
  for (const f of findings) {
    const k = String(f.severity).toLowerCase();
    if (k === 'critical' || k === 'high' || k === 'medium' || k === 'low') s[k]++;
    else s.unknown++;
    if (f.kev) s.kev++;
    if (f.fixedVersion) s.fixable++;
  }
  return s;
}

/** Called by ingest inside the scan's transaction. */
export async function storeScanSummary(
  db: Transaction<Database> | Kysely<Database>,
  scan: { scanId: number; imageId: number; scannedAt: string },
  findings: readonly FindingLike[],
): Promise<void> {
  await db
    .insertInto('scan_summaries')
    .values({
      scan_id: scan.scanId,
      image_id: scan.imageId,
      scanned_at: scan.scannedAt,
      ...summarise(findings),
    })
    .onConflict((oc) => oc.column('scan_id').doNothing())
    .execute();
}

const BACKFILL_BATCH = 200;

/**
 * Summarises stored scans that have no summary yet (stored before the migration, or by a writer
 * that does not call storeScanSummary), reading their reports a batch at a time. A report that no
 * longer parses is counted as no findings rather than failing the overview.
 */
export async function backfillSummaries(store: Store, max = 100_000): Promise<number> {
  let done = 0;
  while (done < max) {
    const rows = await store.db
      .selectFrom('scans as s')
      .leftJoin('scan_summaries as m', 'm.scan_id', 's.id')
      .select(['s.id', 's.image_id', 's.scanned_at', 's.report'])
      .where('m.scan_id', 'is', null)
      .orderBy('s.id')
      .limit(BACKFILL_BATCH)
      .execute();
    if (!rows.length) break;
    for (const r of rows) {
      let findings: FindingLike[] = [];
      try {
        const parsed = JSON.parse(r.report) as { findings?: unknown };
        if (Array.isArray(parsed.findings)) findings = parsed.findings as FindingLike[];
      } catch {
        findings = [];
      }
      await storeScanSummary(
        store.db,
        { scanId: r.id, imageId: r.image_id, scannedAt: r.scanned_at },
        findings,
      );
    }
    done += rows.length;
    if (rows.length < BACKFILL_BATCH) break;
  }
  return done;
}

export interface OverviewImage extends ScanSummary {
  id: number;
  repository: string;
  tag: string;
  digest: string | null;
  scans: number;
  lastScanId: number;
  lastScannedAt: string;
}

export interface OverviewPoint extends SeverityCounts {
  date: string;
}

export interface Overview {
  totals: ScanSummary & { images: number; scans: number; imagesWithKev: number; imagesWithFixes: number };
  /** per day (UTC), the open findings of every image as its latest scan up to that day had them */
  series: OverviewPoint[];
  total: number;
  images: OverviewImage[];
}

export type OverviewSort = 'severity' | 'name' | 'recent';

export interface OverviewQuery {
  limit: number;
  offset: number;
  repository?: string;
  sort?: OverviewSort;
  /** how many days the series covers, ending on the day of the newest scan */
  days?: number;
}

interface SummaryRow extends ScanSummary {
  scan_id: number;
  image_id: number;
  scanned_at: string;
}

const rank = (a: ScanSummary, b: ScanSummary) =>
  b.kev - a.kev ||
  b.critical - a.critical ||
  b.high - a.high ||
  b.medium - a.medium ||
  b.low - a.low ||
  b.unknown - a.unknown;

/** What one store's overview is computed from, kept between requests (see `overview`). */
interface Cache {
  rows: SummaryRow[];
  maxScanId: number;
  names: Map<number, { repository: string; tag: string }>;
  maxImageId: number;
  derived?: Derived;
}

interface Derived {
  latest: Map<number, SummaryRow>;
  scanCount: Map<number, number>;
  /** every day with a scan, oldest first */
  series: OverviewPoint[];
  totals: Overview['totals'];
  sorted: Partial<Record<OverviewSort, number[]>>;
}

const caches = new WeakMap<Store, Cache>();

const num = (v: unknown) => Number(v ?? 0);

/**
 * Brings the cached summaries up to date: scans and images are only ever added, so only rows with
 * a higher id than the cache has are read. Two counts tell whether anything changed (also when
 * another server process on the same PostgreSQL database stored the scan) and whether some scan
 * still lacks a summary.
 */
async function refresh(store: Store): Promise<Cache> {
  let c = caches.get(store);
  if (!c) {
    c = { rows: [], maxScanId: 0, names: new Map(), maxImageId: 0 };
    caches.set(store, c);
  }
  const [scans, summaries] = await Promise.all([
    store.db
      .selectFrom('scans')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow(),
    store.db
      .selectFrom('scan_summaries')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.max('scan_id').as('m')])
      .executeTakeFirstOrThrow(),
  ]);
  let summaryCount = num(summaries.n);
  let maxScanId = num(summaries.m);
  if (num(scans.n) > summaryCount) {
    await backfillSummaries(store);
    // a backfilled scan may have a lower id than the cache's newest: read them all again
    c.rows = [];
    c.maxScanId = 0;
    summaryCount = -1;
    maxScanId = Infinity;
  }
  if (summaryCount === c.rows.length && maxScanId === c.maxScanId) return c;
  const fresh = (await store.db
    .selectFrom('scan_summaries')
    .select([
      'scan_id',
      'image_id',
      'scanned_at',
      'critical',
      'high',
      'medium',
      'low',
      'unknown',
      'kev',
      'fixable',
    ])
    .where('scan_id', '>', c.maxScanId)
    .execute()) as SummaryRow[];
  for (const r of fresh) {
    for (const k of [...SEVERITIES, 'kev', 'fixable'] as const) r[k] = num(r[k]);
    c.rows.push(r);
    if (r.scan_id > c.maxScanId) c.maxScanId = r.scan_id;
  }
  // on PostgreSQL a lower id can commit after a higher one: then the counts disagree, read all
  if (summaryCount >= 0 && c.rows.length < summaryCount) {
    caches.delete(store);
    return refreshAll(store);
  }
  const images = await store.db
    .selectFrom('images')
    .select(['id', 'repository', 'tag'])
    .where('id', '>', c.maxImageId)
    .execute();
  for (const i of images) {
    c.names.set(i.id, { repository: i.repository, tag: i.tag });
    if (i.id > c.maxImageId) c.maxImageId = i.id;
  }
  if (c.rows.some((r) => !c.names.has(r.image_id))) {
    for (const i of await store.db.selectFrom('images').select(['id', 'repository', 'tag']).execute())
      c.names.set(i.id, { repository: i.repository, tag: i.tag });
  }
  c.derived = undefined;
  return c;
}

async function refreshAll(store: Store): Promise<Cache> {
  const c: Cache = { rows: [], maxScanId: 0, names: new Map(), maxImageId: 0 };
  const rows = (await store.db
    .selectFrom('scan_summaries')
    .select([
      'scan_id',
      'image_id',
      'scanned_at',
      'critical',
      'high',
      'medium',
      'low',
      'unknown',
      'kev',
      'fixable',
    ])
    .execute()) as SummaryRow[];
  for (const r of rows) {
    for (const k of [...SEVERITIES, 'kev', 'fixable'] as const) r[k] = num(r[k]);
    c.rows.push(r);
    if (r.scan_id > c.maxScanId) c.maxScanId = r.scan_id;
  }
  for (const i of await store.db.selectFrom('images').select(['id', 'repository', 'tag']).execute()) {
    c.names.set(i.id, { repository: i.repository, tag: i.tag });
    if (i.id > c.maxImageId) c.maxImageId = i.id;
  }
  caches.set(store, c);
  return c;
}

function derive(c: Cache): Derived {
  if (c.derived) return c.derived;
  const rows = [...c.rows].sort((a, b) =>
    a.scanned_at < b.scanned_at ? -1 : a.scanned_at > b.scanned_at ? 1 : a.scan_id - b.scan_id,
  );
  // latest per image (rows in time order), and the daily series swept in the same pass
  const latest = new Map<number, SummaryRow>();
  const scanCount = new Map<number, number>();
  const series: OverviewPoint[] = [];
  const current: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  let day: string | undefined;
  for (const r of rows) {
    const d = r.scanned_at.slice(0, 10);
    if (d !== day) {
      if (day) series.push({ date: day, ...current });
      day = d;
    }
    const prev = latest.get(r.image_id);
    for (const k of SEVERITIES) current[k] += r[k] - (prev ? prev[k] : 0);
    latest.set(r.image_id, r);
    scanCount.set(r.image_id, (scanCount.get(r.image_id) ?? 0) + 1);
  }
  if (day) series.push({ date: day, ...current });
  const totals = {
    images: latest.size,
    scans: rows.length,
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    unknown: 0,
    kev: 0,
    fixable: 0,
    imagesWithKev: 0,
    imagesWithFixes: 0,
  };
  for (const r of latest.values()) {
    for (const k of [...SEVERITIES, 'kev', 'fixable'] as const) totals[k] += r[k];
    if (r.kev > 0) totals.imagesWithKev++;
    if (r.fixable > 0) totals.imagesWithFixes++;
  }
  c.derived = { latest, scanCount, series, totals, sorted: {} };
  return c.derived;
}

function sortedIds(c: Cache, d: Derived, sort: OverviewSort): number[] {
  const done = d.sorted[sort];
  if (done) return done;
  const ids = [...d.latest.keys()].filter((id) => c.names.has(id));
  const byName = (a: number, b: number) => {
    const x = c.names.get(a)!;
    const y = c.names.get(b)!;
    return x.repository < y.repository
      ? -1
      : x.repository > y.repository
        ? 1
        : x.tag < y.tag
          ? -1
          : x.tag > y.tag
            ? 1
            : a - b;
  };
  ids.sort((a, b) => {
    const x = d.latest.get(a)!;
    const y = d.latest.get(b)!;
    if (sort === 'name') return byName(a, b);
    if (sort === 'recent')
      return (x.scanned_at < y.scanned_at ? 1 : x.scanned_at > y.scanned_at ? -1 : 0) || byName(a, b);
    return rank(x, y) || byName(a, b);
  });
  d.sorted[sort] = ids;
  return ids;
}

/**
 * The overview: portfolio totals and the series over every image; one page of images ranked
 * (known exploited first, then by severity), by name, or most recently scanned first. The
 * summaries are kept in memory per store and brought up to date by id on each request, so a page
 * costs two counts and one small read however many images are stored; the first request after a
 * start reads every summary once.
 */
export async function overview(store: Store, q: OverviewQuery): Promise<Overview> {
  const c = await refresh(store);
  const d = derive(c);
  const days = Math.min(Math.max(q.days ?? 90, 1), 3650);
  const last = d.series[d.series.length - 1]?.date;
  const from = last
    ? new Date(Date.parse(`${last}T00:00:00Z`) - (days - 1) * 86400_000).toISOString().slice(0, 10)
    : '';
  const series = d.series.filter((p) => p.date >= from);

  let ids = sortedIds(c, d, q.sort ?? 'severity');
  // the filter is a plain substring test in code: no pattern language, nothing reaches SQL
  if (q.repository) ids = ids.filter((id) => c.names.get(id)!.repository.includes(q.repository!));
  const pageIds = ids.slice(q.offset, q.offset + q.limit);
  const digests = new Map<number, string | null>();
  if (pageIds.length)
    for (const r of await store.db
      .selectFrom('images')
      .select(['id', 'digest'])
      .where('id', 'in', pageIds)
      .execute())
      digests.set(r.id, r.digest);
  const images = pageIds.map((id) => {
    const s = d.latest.get(id)!;
    const n = c.names.get(id)!;
    return {
      id,
      repository: n.repository,
      tag: n.tag,
      digest: digests.get(id) ?? null,
      scans: d.scanCount.get(id) ?? 0,
      lastScanId: s.scan_id,
      lastScannedAt: s.scanned_at,
      critical: s.critical,
      high: s.high,
      medium: s.medium,
      low: s.low,
      unknown: s.unknown,
      kev: s.kev,
      fixable: s.fixable,
    };
  });
  return { totals: { ...d.totals }, series, total: ids.length, images };
}
