/**
 * What the dashboard's overview needs, aggregated server-side: per scan, its findings counted by
 * severity, known exploited (CISA KEV) and with a fix, stored once in `scan_summaries` (migration
 * '0007-dashboard'). Ingest writes the summary in the scan's own transaction; scans stored before
 * the migration are summarised from their report the first time the overview asks (in batches).
 * The overview then reads one small row per scan instead of every finding or report.
 */
import { sql, type Kysely, type Migration, type Transaction } from 'kysely';
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

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The overview: portfolio totals and the series over every image; one page of images ranked
 * (known exploited first, then by severity), by name, or most recently scanned first.
 */
export async function overview(store: Store, q: OverviewQuery): Promise<Overview> {
  await backfillSummaries(store);
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
    .orderBy('scanned_at')
    .orderBy('scan_id')
    .execute()) as SummaryRow[];

  // latest per image (rows are in time order), and the daily series swept in the same pass
  const latest = new Map<number, SummaryRow>();
  const scanCount = new Map<number, number>();
  const days = Math.min(Math.max(q.days ?? 90, 1), 3650);
  const lastDay = rows.length ? rows[rows.length - 1]!.scanned_at.slice(0, 10) : undefined;
  const firstDay = lastDay
    ? new Date(Date.parse(`${lastDay}T00:00:00Z`) - (days - 1) * 86400_000)
    : undefined;
  const series: OverviewPoint[] = [];
  const current: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  let day: string | undefined;
  const flush = () => {
    if (day && firstDay && day >= firstDay.toISOString().slice(0, 10)) series.push({ date: day, ...current });
  };
  for (const r of rows) {
    const d = r.scanned_at.slice(0, 10);
    if (d !== day) {
      flush();
      day = d;
    }
    const prev = latest.get(r.image_id);
    for (const k of SEVERITIES) current[k] += Number(r[k]) - (prev ? Number(prev[k]) : 0);
    latest.set(r.image_id, r);
    scanCount.set(r.image_id, (scanCount.get(r.image_id) ?? 0) + 1);
  }
  flush();

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
    for (const k of [...SEVERITIES, 'kev', 'fixable'] as const) totals[k] += Number(r[k]);
    if (Number(r.kev) > 0) totals.imagesWithKev++;
    if (Number(r.fixable) > 0) totals.imagesWithFixes++;
  }

  // the page: names come from the images table (filtered there), counts from the latest summary
  let names = store.db.selectFrom('images').select(['id', 'repository', 'tag', 'digest']);
  if (q.repository)
    names = names.where(sql<boolean>`repository like ${`%${likeEscape(q.repository)}%`} escape '\\'`);
  const imageRows = await names.execute();
  const candidates = imageRows
    .filter((i) => latest.has(i.id))
    .map((i) => ({ image: i, s: latest.get(i.id)! }));
  const byName = (a: (typeof candidates)[number], b: (typeof candidates)[number]) =>
    a.image.repository < b.image.repository
      ? -1
      : a.image.repository > b.image.repository
        ? 1
        : a.image.tag < b.image.tag
          ? -1
          : a.image.tag > b.image.tag
            ? 1
            : a.image.id - b.image.id;
  const sort = q.sort ?? 'severity';
  candidates.sort((a, b) =>
    sort === 'name'
      ? byName(a, b)
      : sort === 'recent'
        ? (a.s.scanned_at < b.s.scanned_at ? 1 : a.s.scanned_at > b.s.scanned_at ? -1 : 0) || byName(a, b)
        : rank(a.s, b.s) || byName(a, b),
  );
  const page = candidates.slice(q.offset, q.offset + q.limit).map(({ image, s }) => ({
    id: image.id,
    repository: image.repository,
    tag: image.tag,
    digest: image.digest,
    scans: scanCount.get(image.id) ?? 0,
    lastScanId: s.scan_id,
    lastScannedAt: s.scanned_at,
    critical: Number(s.critical),
    high: Number(s.high),
    medium: Number(s.medium),
    low: Number(s.low),
    unknown: Number(s.unknown),
    kev: Number(s.kev),
    fixable: Number(s.fixable),
  }));
  return { totals, series, total: candidates.length, images: page };
}
