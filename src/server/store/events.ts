/**
 * Events: what changed, stored append-only with its time, and the outbox of deliveries written in
 * the same transaction as the event (one row per event and channel that wants it), so an event
 * is never stored without its deliveries nor a delivery without its event.
 *
 * Who makes them:
 * - every ingest (the hook `recordScanEvents`, run inside the scan's own transaction):
 *   `scan.completed`, then, when the scan is the image's newest and not its first,
 *   `vulnerability.new` per vulnerability it newly has and one `finding.fixed` for the findings
 *   it no longer has;
 * - a re-match: each image's changes are written as `rematch_changes` rows in the transaction of
 *   its new scan, and when the run ends `groupRematchChanges` turns them, in one transaction,
 *   into one `vulnerability.new` / `vulnerability.vanished` per vulnerability naming every image
 *   ("CVE-X now affects 37 images"). Rows a crashed run left behind are grouped later
 *   (`groupStaleRematchChanges`), so no change is lost and none is announced twice.
 */
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { JsonReport } from '../../report/index.js';
import { EVENT_TYPES, maxSeverity, wants, type EventType } from '../notify/filter.js';
import { SEVERITIES, type Severity } from '../../core/types.js';
import { imageIdentity } from './identity.js';
import { packageKey } from './ingest.js';
import type { Store } from './open.js';
import type { Database } from './schema.js';

type Trx = Transaction<Database>;
type Finding = JsonReport['findings'][number];

/** At most this many images are listed in one event; `imageCount` always has them all. */
export const MAX_EVENT_IMAGES = 1000;
/** At most this many findings are listed in one `finding.fixed` event; `count` has them all. */
export const MAX_EVENT_FINDINGS = 1000;

export interface NewEvent {
  type: EventType;
  at: string;
  severity: Severity;
  kev: boolean;
  summary: string;
  payload: Record<string, unknown>;
}

export interface EventView {
  id: number;
  eventId: string;
  type: string;
  at: string;
  severity: string;
  kev: boolean;
  summary: string;
  payload: Record<string, unknown>;
}

export const eventSchema = {
  type: 'object',
  required: ['id', 'eventId', 'type', 'at', 'severity', 'kev', 'summary', 'payload'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    eventId: { type: 'string' },
    type: { enum: [...EVENT_TYPES] },
    at: { type: 'string' },
    severity: { enum: [...SEVERITIES] },
    kev: { type: 'boolean' },
    summary: { type: 'string' },
    payload: { type: 'object' },
  },
} as const;

/** Stores an event and, in the same transaction, one pending delivery per channel that wants it. */
export async function appendEvent(trx: Trx, e: NewEvent): Promise<{ id: number; uid: string }> {
  return (await appendEvents(trx, [e]))[0]!;
}

/**
 * Stores events and their deliveries with few statements (the channels read once, the events
 * and the deliveries inserted in batches): an upload's events cost the ingest little.
 */
export async function appendEvents(
  trx: Trx,
  events: readonly NewEvent[],
): Promise<{ id: number; uid: string }[]> {
  if (!events.length) return [];
  const channels = (
    await trx
      .selectFrom('notification_channels')
      .select(['id', 'event_types', 'min_severity', 'kev_only'])
      .where('enabled', '=', 1)
      .where('deleted_at', 'is', null)
      .execute()
  ).map((c) => ({
    id: c.id,
    filters: {
      eventTypes: JSON.parse(c.event_types) as EventType[],
      minSeverity: c.min_severity as Severity | null,
      kevOnly: c.kev_only === 1,
    },
  }));
  const out: { id: number; uid: string }[] = [];
  const deliveries: Record<string, unknown>[] = [];
  for (let i = 0; i < events.length; i += 100) {
    const chunk = events.slice(i, i + 100).map((e) => ({ e, uid: `evt_${randomBytes(16).toString('hex')}` }));
    const rows = await trx
      .insertInto('events')
      .values(
        chunk.map(({ e, uid }) => ({
          uid,
          type: e.type,
          at: e.at,
          severity: e.severity,
          kev: e.kev ? 1 : 0,
          summary: e.summary,
          payload: JSON.stringify(e.payload),
        })),
      )
      .returning(['id', 'uid'])
      .execute();
    // RETURNING's row order is not promised (SQLite): match by the uid
    const idOf = new Map(rows.map((r) => [r.uid, r.id]));
    for (const { e, uid } of chunk) {
      const id = idOf.get(uid)!;
      out.push({ id, uid });
      for (const c of channels)
        if (wants(c.filters, e))
          deliveries.push({
            event_id: id,
            channel_id: c.id,
            status: 'pending',
            attempts: 0,
            next_attempt_at: e.at,
            created_at: e.at,
            updated_at: e.at,
          });
    }
  }
  for (let i = 0; i < deliveries.length; i += 500)
    await trx
      .insertInto('deliveries')
      .values(deliveries.slice(i, i + 500) as never)
      .onConflict((oc) => oc.columns(['event_id', 'channel_id']).doNothing())
      .execute();
  return out;
}

/** What an ingest hands the event hook, inside its transaction, once the scan is stored. */
export interface StoredScan {
  imageId: number;
  scanId: number;
  report: JsonReport;
  /** when it was received (ISO) */
  at: string;
  opened: number;
  fixed: number;
  reopened: number;
}

export type ScanEventsHook = (trx: Trx, s: StoredScan) => Promise<void>;

interface ImageRef {
  id: number;
  repository: string;
  tag: string;
  digest: string | null;
}

const refOf = (i: { repository: string; tag: string }) =>
  i.tag.startsWith('@') ? `${i.repository}${i.tag}` : i.tag ? `${i.repository}:${i.tag}` : i.repository;

/** A finding as events show it. */
function findingItem(f: Finding) {
  return {
    vulnId: f.id,
    severity: f.severity,
    kev: f.kev !== null,
    epss: f.epss?.score ?? null,
    summary: f.summary,
    fixedVersion: f.fixedVersion,
    package: {
      name: f.package.name,
      version: f.package.version,
      ecosystem: f.package.ecosystem,
      location: f.package.location,
      purl: f.package.purl,
    },
  };
}
type FindingItem = ReturnType<typeof findingItem>;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The events of one stored upload (the default hook of ingestReport). */
export const recordScanEvents: ScanEventsHook = async (trx, s) => {
  const r = s.report;
  // the image as ingest named it (identity.ts), without asking the store again
  const image = { id: s.imageId, ...imageIdentity(r.target) };
  const ref = refOf(image);
  const out: NewEvent[] = [];
  const bySeverity = Object.fromEntries(SEVERITIES.map((x) => [x, 0])) as Record<Severity, number>;
  for (const f of r.findings) bySeverity[f.severity]++;
  const kevCount = r.findings.filter((f) => f.kev !== null).length;
  const scannedAt = new Date(r.createdAt).toISOString();
  const imageView = { id: image.id, repository: image.repository, tag: image.tag, digest: r.target.digest };
  out.push({
    type: 'scan.completed',
    at: s.at,
    severity: maxSeverity(r.findings.map((f) => f.severity)),
    kev: kevCount > 0,
    summary: `${ref} scanned: ${plural(r.findings.length, 'finding')} (${bySeverity.CRITICAL} critical, ${bySeverity.HIGH} high${kevCount ? `, ${kevCount} in KEV` : ''})`,
    payload: {
      image: imageView,
      scanId: s.scanId,
      scannedAt,
      dbBuiltAt: r.db?.builtAt ?? null,
      findings: r.findings.length,
      bySeverity,
      kev: kevCount,
      opened: s.opened,
      fixed: s.fixed,
      reopened: s.reopened,
    },
  });

  // what changed since the image's previous scan; a late upload (older than a stored scan) and
  // the first scan of an image announce no vulnerability changes
  const prev = await trx
    .selectFrom('scans')
    .select(['id', 'scanned_at'])
    .where('image_id', '=', s.imageId)
    .where('id', '!=', s.scanId)
    .orderBy('scanned_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!prev || prev.scanned_at > scannedAt) {
    await appendEvents(trx, out);
    return;
  }
  const before = await trx
    .selectFrom('findings')
    .select(['vuln_id', 'package_key', 'package_name', 'package_version', 'ecosystem', 'purl', 'severity'])
    .where('scan_id', '=', prev.id)
    .execute();
  const beforeKeys = new Set(before.map((f) => `${f.vuln_id} ${f.package_key}`));
  const nowKeys = new Set(r.findings.map((f) => `${f.id} ${packageKey(f.package)}`));

  const added = new Map<string, FindingItem[]>();
  for (const f of r.findings) {
    if (beforeKeys.has(`${f.id} ${packageKey(f.package)}`)) continue;
    const list = added.get(f.id) ?? [];
    list.push(findingItem(f));
    added.set(f.id, list);
  }
  for (const [vulnId, items] of [...added].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    out.push(
      vulnerabilityEvent('vulnerability.new', vulnId, s.at, r.db?.builtAt ?? null, [
        { image: imageView, scanId: s.scanId, items },
      ]),
    );

  const goneRows = before.filter((f) => !nowKeys.has(`${f.vuln_id} ${f.package_key}`));
  if (!goneRows.length) {
    await appendEvents(trx, out);
    return;
  }
  // the previous scan's own report says what the findings table does not keep (KEV, EPSS, fix)
  const prevReport = await trx
    .selectFrom('scans')
    .select('report')
    .where('id', '=', prev.id)
    .executeTakeFirstOrThrow();
  const prevFindings = new Map(
    (JSON.parse(prevReport.report) as JsonReport).findings.map((f) => [
      `${f.id} ${packageKey(f.package)}`,
      f,
    ]),
  );
  const gone = goneRows.map((f) => {
    const full = prevFindings.get(`${f.vuln_id} ${f.package_key}`);
    return full
      ? findingItem(full)
      : {
          vulnId: f.vuln_id,
          severity: f.severity,
          kev: false,
          epss: null,
          summary: null,
          fixedVersion: null,
          package: {
            name: f.package_name,
            version: f.package_version,
            ecosystem: f.ecosystem,
            location: f.package_key.slice(f.package_key.indexOf(' ') + 1),
            purl: f.purl,
          },
        };
  });
  const ids = [...new Set(gone.map((f) => f.vulnId))];
  out.push({
    type: 'finding.fixed',
    at: s.at,
    severity: maxSeverity(gone.map((f) => f.severity)),
    kev: gone.some((f) => f.kev),
    summary: `${ref}: ${plural(gone.length, 'finding')} fixed (${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ', …' : ''})`,
    payload: {
      image: imageView,
      scanId: s.scanId,
      previousScanId: prev.id,
      count: gone.length,
      truncated: gone.length > MAX_EVENT_FINDINGS,
      findings: gone.slice(0, MAX_EVENT_FINDINGS),
    },
  });
  await appendEvents(trx, out);
};

interface AffectedImage {
  image: { id: number; repository: string; tag: string; digest: string | null };
  scanId: number;
  items: FindingItem[];
}

/** One vulnerability.new / vanished event for one vulnerability over any number of images. */
function vulnerabilityEvent(
  type: 'vulnerability.new' | 'vulnerability.vanished',
  vulnId: string,
  at: string,
  dbBuiltAt: string | null,
  affected: AffectedImage[],
): NewEvent {
  const all = affected.flatMap((a) => a.items);
  const severity = maxSeverity(all.map((i) => i.severity));
  const kev = all.some((i) => i.kev);
  const epss = Math.max(...all.map((i) => i.epss ?? 0));
  const sorted = [...affected].sort((a, b) => a.image.id - b.image.id);
  const n = sorted.length;
  const names = sorted
    .slice(0, 3)
    .map((a) => refOf(a.image))
    .join(', ');
  const summary =
    type === 'vulnerability.new'
      ? `${vulnId} now affects ${plural(n, 'image')} (${names}${n > 3 ? ', …' : ''})`
      : `${vulnId} no longer affects ${plural(n, 'image')} (${names}${n > 3 ? ', …' : ''})`;
  return {
    type,
    at,
    severity,
    kev,
    summary,
    payload: {
      vulnerability: {
        id: vulnId,
        severity,
        kev,
        epss: all.some((i) => i.epss !== null) ? epss : null,
        summary: all.find((i) => i.summary)?.summary ?? null,
      },
      dbBuiltAt,
      imageCount: n,
      truncated: n > MAX_EVENT_IMAGES,
      images: sorted.slice(0, MAX_EVENT_IMAGES).map((a) => ({
        ...a.image,
        scanId: a.scanId,
        packages: a.items.map((i) => ({ ...i.package, fixedVersion: i.fixedVersion })),
      })),
    },
  };
}

/**
 * The hook a re-match gives ingestReport: the image's new and vanished findings, written as
 * `rematch_changes` rows of the run in the transaction of the image's new scan.
 */
export function rematchChangesHook(
  runId: string,
  added: readonly Finding[],
  vanished: readonly Finding[],
): ScanEventsHook {
  return async (trx, s) => {
    const rows = [
      ...added.map((f) => ['new', f] as const),
      ...vanished.map((f) => ['vanished', f] as const),
    ].map(([kind, f]) => ({
      run_id: runId,
      at: s.at,
      kind,
      vuln_id: f.id,
      image_id: s.imageId,
      scan_id: s.scanId,
      item: JSON.stringify({ ...findingItem(f), dbBuiltAt: s.report.db?.builtAt ?? null }),
    }));
    for (let i = 0; i < rows.length; i += 200)
      await trx
        .insertInto('rematch_changes')
        .values(rows.slice(i, i + 200))
        .execute();
  };
}

/**
 * Turns a re-match run's changes into one event per (kind, vulnerability), in one transaction
 * that also deletes the rows: two processes grouping the same run cannot both announce it (the
 * second one's delete finds nothing). Returns the events made.
 */
export async function groupRematchChanges(store: Store, runId: string, now: Date): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const rows = await trx.deleteFrom('rematch_changes').where('run_id', '=', runId).returningAll().execute();
    if (!rows.length) return 0;
    const imageIds = [...new Set(rows.map((r) => r.image_id))];
    const images = new Map<number, ImageRef>();
    for (let i = 0; i < imageIds.length; i += 500)
      for (const img of await trx
        .selectFrom('images')
        .select(['id', 'repository', 'tag', 'digest'])
        .where('id', 'in', imageIds.slice(i, i + 500))
        .execute())
        images.set(img.id, img);
    // (kind, vulnerability) -> image -> its findings of it
    const groups = new Map<string, Map<number, { scanId: number; items: FindingItem[] }>>();
    let dbBuiltAt: string | null = null;
    for (const r of rows) {
      const item = JSON.parse(r.item) as FindingItem & { dbBuiltAt: string | null };
      dbBuiltAt = item.dbBuiltAt ?? dbBuiltAt;
      const { dbBuiltAt: _drop, ...finding } = item;
      const key = `${r.kind}\u0000${r.vuln_id}`;
      const byImage = groups.get(key) ?? new Map<number, { scanId: number; items: FindingItem[] }>();
      const entry = byImage.get(r.image_id) ?? { scanId: r.scan_id, items: [] };
      entry.items.push(finding);
      byImage.set(r.image_id, entry);
      groups.set(key, byImage);
    }
    const at = now.toISOString();
    const made: NewEvent[] = [];
    for (const key of [...groups.keys()].sort()) {
      const [kind, vulnId] = key.split('\u0000') as ['new' | 'vanished', string];
      const affected = [...groups.get(key)!].map(([imageId, v]) => {
        const img = images.get(imageId)!;
        return {
          image: { id: img.id, repository: img.repository, tag: img.tag, digest: img.digest },
          ...v,
        };
      });
      made.push(
        vulnerabilityEvent(
          kind === 'new' ? 'vulnerability.new' : 'vulnerability.vanished',
          vulnId,
          at,
          dbBuiltAt,
          affected,
        ),
      );
    }
    await appendEvents(trx, made);
    return made.length;
  });
}

/**
 * Groups the changes of runs that stopped without grouping them (a crash, a killed worker): runs
 * whose newest change is older than `staleMs`, so a run still going in another process is left
 * alone.
 */
export async function groupStaleRematchChanges(
  store: Store,
  now: Date,
  staleMs = 15 * 60_000,
): Promise<number> {
  const cutoff = new Date(now.getTime() - staleMs).toISOString();
  const runs = await store.db
    .selectFrom('rematch_changes')
    .select(['run_id'])
    .groupBy('run_id')
    .having((eb) => eb.fn.max('at'), '<', cutoff)
    .execute();
  let made = 0;
  for (const { run_id } of runs) made += await groupRematchChanges(store, run_id, now);
  return made;
}

export function eventView(r: {
  id: number;
  uid: string;
  type: string;
  at: string;
  severity: string;
  kev: number;
  summary: string;
  payload: string;
}): EventView {
  return {
    id: r.id,
    eventId: r.uid,
    type: r.type,
    at: r.at,
    severity: r.severity,
    kev: r.kev === 1,
    summary: r.summary,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  };
}

export async function listEvents(
  store: Store,
  q: { since?: string; type?: string; afterId?: number; limit: number },
): Promise<EventView[]> {
  let s = store.db.selectFrom('events').selectAll();
  if (q.since) s = s.where('at', '>=', q.since);
  if (q.type) s = s.where('type', '=', q.type);
  if (q.afterId) s = s.where('id', '>', q.afterId);
  const rows = await s.orderBy('id').limit(q.limit).execute();
  return rows.map((r) => eventView(r));
}
