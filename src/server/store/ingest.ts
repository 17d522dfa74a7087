/**
 * Stores one uploaded image scan report: the image, its layers (once per diffID, shared by every
 * image that has them), the scan (immutable), its findings, and the per-finding history
 * (first seen, last seen, fixed at). All of it in one transaction: a crash or a failed statement
 * leaves no half-written scan.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { BulwarkError } from '../../core/errors.js';
import type { JsonReport } from '../../report/index.js';
import { storeScanSummary } from './dashboard.js';
import { recordScanEvents, type ScanEventsHook } from './events.js';
import { imageIdentity } from './identity.js';
import type { Database } from './schema.js';
import type { Store } from './open.js';

type Pkg = JsonReport['packages'][number];
type Finding = JsonReport['findings'][number];

export interface IngestResult {
  imageId: number;
  scanId: number;
  /** true when this very report was stored before: nothing was written again */
  duplicate: boolean;
  /** layers stored by this upload (the others were known already) */
  newLayers: number;
  findings: number;
  /** findings of this image seen for the first time / no longer present / present again */
  opened: number;
  fixed: number;
  reopened: number;
}

/** What identifies a package across the scans of one image: its version may change, it stays. */
export function packageKey(p: { ecosystem: string; name: string; location: string }): string {
  return `${p.ecosystem}/${p.name} ${p.location}`;
}

const CHUNK = 200;

async function insertChunked<T extends keyof Database>(
  trx: Transaction<Database>,
  table: T,
  rows: Record<string, unknown>[],
): Promise<void> {
  // the rows are built per table by the callers; kysely cannot check a table chosen at run time
  const into = trx.insertInto(table) as unknown as {
    values(v: Record<string, unknown>[]): { execute(): Promise<unknown> };
  };
  for (let i = 0; i < rows.length; i += CHUNK) await into.values(rows.slice(i, i + CHUNK)).execute();
}

export async function ingestReport(
  store: Store,
  report: JsonReport,
  opts: {
    text?: string;
    uploadedBy?: number | null;
    now?: Date;
    /** the events the stored scan makes, in its transaction (default: an upload's, events.ts) */
    events?: ScanEventsHook;
  } = {},
): Promise<IngestResult> {
  if (report.kind !== 'scan' || report.target.kind !== 'image')
    throw new BulwarkError(
      'UNSUPPORTED',
      `the server stores image scans; this report is a ${report.target.kind} scan`,
      {
        input: report.target.name,
      },
    );
  const text = opts.text ?? JSON.stringify(report);
  const sha = createHash('sha256').update(text).digest('hex');
  const now = (opts.now ?? new Date()).toISOString();
  const scannedAt = new Date(report.createdAt).toISOString();
  const { repository, tag } = imageIdentity(report.target);

  return retryOnConflict(store, () =>
    store.db.transaction().execute(async (trx) => {
      let image = await trx
        .selectFrom('images')
        .select(['id'])
        .where('repository', '=', repository)
        .where('tag', '=', tag)
        .executeTakeFirst();
      if (!image) {
        // another process may be adding the same image right now (PostgreSQL, several servers):
        // whoever commits first makes it, the other one finds it
        await trx
          .insertInto('images')
          .values({ repository, tag, digest: report.target.digest, created_at: now, updated_at: now })
          .onConflict((oc) => oc.columns(['repository', 'tag']).doNothing())
          .execute();
        image = await trx
          .selectFrom('images')
          .select(['id'])
          .where('repository', '=', repository)
          .where('tag', '=', tag)
          .executeTakeFirstOrThrow();
      }
      const imageId = image.id;
      // one upload per image at a time (PostgreSQL, several connections or servers): the second of
      // two identical uploads waits here, then finds the first one's scan and answers a duplicate,
      // and two scans of one image never race on its finding history
      if (store.dialect === 'postgres')
        await trx.selectFrom('images').select('id').where('id', '=', imageId).forUpdate().execute();
      const same = await trx
        .selectFrom('scans')
        .select('id')
        .where('image_id', '=', imageId)
        .where('report_sha256', '=', sha)
        .executeTakeFirst();
      if (same)
        return {
          imageId,
          scanId: same.id,
          duplicate: true,
          newLayers: 0,
          findings: 0,
          opened: 0,
          fixed: 0,
          reopened: 0,
        };

      const later = await trx
        .selectFrom('scans')
        .select('id')
        .where('image_id', '=', imageId)
        .where('scanned_at', '>', scannedAt)
        .executeTakeFirst();
      const latest = !later;
      const scan = await trx
        .insertInto('scans')
        .values({
          image_id: imageId,
          digest: report.target.digest,
          scanned_at: scannedAt,
          received_at: now,
          db_version: report.db?.builtAt ?? null,
          tool_version: report.tool.version,
          finding_count: report.findings.length,
          report: text,
          report_sha256: sha,
          uploaded_by: opts.uploadedBy ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const scanId = scan.id;
      if (latest)
        await trx
          .updateTable('images')
          .set({ digest: report.target.digest, updated_at: now })
          .where('id', '=', imageId)
          .execute();

      const newLayers = await storeLayers(trx, report, scanId, now);

      await insertChunked(
        trx,
        'findings',
        report.findings.map((f) => ({
          scan_id: scanId,
          vuln_id: f.id,
          package_key: packageKey(f.package),
          package_name: f.package.name,
          package_version: f.package.version,
          ecosystem: f.package.ecosystem,
          purl: f.package.purl,
          severity: f.severity,
          fixed_version: f.fixedVersion,
          risk: Math.round(f.risk),
          layer_diff_id: f.layer?.diffId ?? null,
        })),
      );

      const counts = await updateState(trx, imageId, scanId, scannedAt, report.findings, latest);
      await storeScanSummary(trx, { scanId, imageId, scannedAt }, report.findings);
      await (opts.events ?? recordScanEvents)(trx, { imageId, scanId, report, at: now, ...counts });
      return { imageId, scanId, duplicate: false, newLayers, findings: report.findings.length, ...counts };
    }),
  );
}

/** PostgreSQL errors after which the whole transaction may simply run again. */
const RETRYABLE = new Set(['23505', '40001', '40P01']); // unique violation, serialization, deadlock

/**
 * Runs an ingest transaction again when PostgreSQL aborted it for a conflict with a concurrent
 * one (the row lock above makes that rare: two uploads adding the same new layers in another
 * order). A retry sees what the other committed, so it answers what a sequential upload would.
 */
async function retryOnConflict<T>(store: Store, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (store.dialect !== 'postgres' || attempt >= 5 || typeof code !== 'string' || !RETRYABLE.has(code))
        throw e;
    }
  }
}

/** Each layer once per diffID with the packages it introduced; this scan's layer list in order. */
async function storeLayers(
  trx: Transaction<Database>,
  report: JsonReport,
  scanId: number,
  now: string,
): Promise<number> {
  const layers = report.target.layers;
  if (!layers.length) return 0;
  const byLayer = new Map<string, Pkg[]>();
  for (const p of report.packages) {
    if (!p.layer) continue;
    const list = byLayer.get(p.layer.diffId) ?? [];
    list.push(p);
    byLayer.set(p.layer.diffId, list);
  }
  const known = new Set(
    (
      await trx
        .selectFrom('layers')
        .select('diff_id')
        .where(
          'diff_id',
          'in',
          layers.map((l) => l.diffId),
        )
        .execute()
    ).map((r) => r.diff_id),
  );
  // in diffID order, so two uploads adding the same new layers lock them in the same order
  const fresh = [
    ...new Map(layers.filter((l) => !known.has(l.diffId)).map((l) => [l.diffId, l])).values(),
  ].sort((a, b) => (a.diffId < b.diffId ? -1 : a.diffId > b.diffId ? 1 : 0));
  const rows = fresh.map((l) => {
    const pkgs = byLayer.get(l.diffId) ?? [];
    return {
      diff_id: l.diffId,
      digest: l.digest,
      created_by: l.createdBy,
      inventory: JSON.stringify(pkgs),
      package_count: pkgs.length,
      created_at: now,
    };
  });
  // a layer another upload stores at the same moment is kept as that one wrote it
  for (let i = 0; i < rows.length; i += CHUNK)
    await trx
      .insertInto('layers')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.column('diff_id').doNothing())
      .execute();
  await insertChunked(
    trx,
    'image_layers',
    layers.map((l, i) => ({ scan_id: scanId, position: i, diff_id: l.diffId })),
  );
  return fresh.length;
}

/**
 * The history per (image, vulnerability, package). A scan that is the image's latest moves it:
 * present findings are seen (again), open ones it lacks are fixed at its time. A scan uploaded
 * late (an older createdAt than one already stored) only moves first_seen earlier: it cannot say
 * what is open now.
 */
async function updateState(
  trx: Transaction<Database>,
  imageId: number,
  scanId: number,
  at: string,
  findings: readonly Finding[],
  latest: boolean,
): Promise<{ opened: number; fixed: number; reopened: number }> {
  const rows = await trx.selectFrom('finding_state').selectAll().where('image_id', '=', imageId).execute();
  const existing = new Map(rows.map((r) => [`${r.vuln_id}\u0000${r.package_key}`, r]));
  const present = new Map<string, Finding>();
  for (const f of findings) present.set(`${f.id}\u0000${packageKey(f.package)}`, f);
  let opened = 0;
  let fixed = 0;
  let reopened = 0;
  const inserts: Record<string, unknown>[] = [];
  for (const [key, f] of present) {
    const row = existing.get(key);
    if (!row) {
      opened++;
      inserts.push({
        image_id: imageId,
        vuln_id: f.id,
        package_key: packageKey(f.package),
        severity: f.severity,
        first_seen: at,
        last_seen: at,
        // a late scan shows it was there then; whether it still is, the later scans say
        fixed_at: latest ? null : at,
        first_scan_id: scanId,
        last_scan_id: scanId,
      });
      continue;
    }
    const q = trx
      .updateTable('finding_state')
      .where('image_id', '=', imageId)
      .where('vuln_id', '=', row.vuln_id)
      .where('package_key', '=', row.package_key);
    if (latest) {
      if (row.fixed_at !== null) reopened++;
      await q
        .set({
          severity: f.severity,
          last_seen: at,
          last_scan_id: scanId,
          fixed_at: null,
          ...(at < row.first_seen ? { first_seen: at, first_scan_id: scanId } : {}),
        })
        .execute();
    } else if (at < row.first_seen) {
      await q.set({ first_seen: at, first_scan_id: scanId }).execute();
    }
  }
  await insertChunked(trx, 'finding_state', inserts);
  if (latest) {
    for (const [key, row] of existing) {
      if (present.has(key) || row.fixed_at !== null) continue;
      fixed++;
      await trx
        .updateTable('finding_state')
        .set({ fixed_at: at })
        .where('image_id', '=', imageId)
        .where('vuln_id', '=', row.vuln_id)
        .where('package_key', '=', row.package_key)
        .execute();
    }
  }
  return { opened, fixed, reopened };
}
