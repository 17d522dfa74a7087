/**
 * Reads for risk and patch plans: the latest scan of an image as the plan engine reads it, the
 * stored images that share its bottom layers (base candidates), and the other tags of a base
 * repository. Stored scans are immutable, so a parsed scan is kept in a bounded memo by scan id:
 * the portfolio ranking parses each report once per process, not once per request.
 */
import { sql } from 'kysely';
import { planInputOf, type PlanFinding, type PlanInput } from '../../plan/index.js';
import type { Store } from './open.js';

const MEMO_LIMIT = 2000;
const memo = new Map<string, PlanInput>();

/** A stored scan as the plan engine reads it (memoised; a report that does not read throws). */
export async function scanPlanInput(store: Store, scanId: number): Promise<PlanInput | undefined> {
  // the memo is per store: two stores in one process (tests) have their own scan ids
  const key = `${storeKey(store)}:${scanId}`;
  const hit = memo.get(key);
  if (hit) {
    memo.delete(key);
    memo.set(key, hit);
    return hit;
  }
  const row = await store.db.selectFrom('scans').select('report').where('id', '=', scanId).executeTakeFirst();
  if (!row) return undefined;
  const input = planInputOf(JSON.parse(row.report) as unknown, `scan ${scanId}`);
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value!);
  memo.set(key, input);
  return input;
}

const storeIds = new WeakMap<Store, number>();
let nextStoreId = 1;
function storeKey(store: Store): number {
  let id = storeIds.get(store);
  if (id === undefined) storeIds.set(store, (id = nextStoreId++));
  return id;
}

export interface LatestScan {
  imageId: number;
  repository: string;
  tag: string;
  scanId: number;
  digest: string | null;
  scannedAt: string;
}

/** The latest scan of each image (one image, or those whose repository contains `repository`). */
export async function latestScans(
  store: Store,
  f: { imageId?: number; repository?: string; exactRepository?: string } = {},
): Promise<LatestScan[]> {
  let q = store.db
    .selectFrom('images as i')
    .innerJoin('scans as s', 's.image_id', 'i.id')
    .select(['i.id as image_id', 'i.repository', 'i.tag', 's.id as scan_id', 's.digest', 's.scanned_at'])
    .where(({ eb, selectFrom }) =>
      eb(
        's.id',
        '=',
        selectFrom('scans as t')
          .select('t.id')
          .whereRef('t.image_id', '=', 'i.id')
          .orderBy('t.scanned_at', 'desc')
          .orderBy('t.id', 'desc')
          .limit(1),
      ),
    );
  if (f.imageId !== undefined) q = q.where('i.id', '=', f.imageId);
  if (f.exactRepository !== undefined) q = q.where('i.repository', '=', f.exactRepository);
  if (f.repository)
    q = q.where(
      sql<boolean>`i.repository like ${`%${f.repository.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\'`,
    );
  const rows = await q.orderBy('i.repository').orderBy('i.tag').execute();
  return rows.map((r) => ({
    imageId: r.image_id,
    repository: r.repository,
    tag: r.tag,
    scanId: r.scan_id,
    digest: r.digest,
    scannedAt: r.scanned_at,
  }));
}

export interface LayeredScan extends LatestScan {
  diffIds: string[];
}

/**
 * Scans of images of other repositories whose bottom layer is this one's: the only ones that can
 * share a layer prefix with it (at most `limit`, newest first).
 */
export async function prefixCandidates(
  store: Store,
  bottomDiffId: string,
  notRepository: string,
  limit = 500,
): Promise<LayeredScan[]> {
  const scans = await store.db
    .selectFrom('image_layers as l')
    .innerJoin('scans as s', 's.id', 'l.scan_id')
    .innerJoin('images as i', 'i.id', 's.image_id')
    .select(['i.id as image_id', 'i.repository', 'i.tag', 's.id as scan_id', 's.digest', 's.scanned_at'])
    .where('l.position', '=', 0)
    .where('l.diff_id', '=', bottomDiffId)
    .where('i.repository', '<>', notRepository)
    .orderBy('s.scanned_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute();
  if (!scans.length) return [];
  const layers = await store.db
    .selectFrom('image_layers')
    .select(['scan_id', 'position', 'diff_id'])
    .where(
      'scan_id',
      'in',
      scans.map((s) => s.scan_id),
    )
    .orderBy('scan_id')
    .orderBy('position')
    .execute();
  const by = new Map<number, string[]>();
  for (const l of layers) {
    const list = by.get(l.scan_id) ?? [];
    list.push(l.diff_id);
    by.set(l.scan_id, list);
  }
  return scans.map((r) => ({
    imageId: r.image_id,
    repository: r.repository,
    tag: r.tag,
    scanId: r.scan_id,
    digest: r.digest,
    scannedAt: r.scanned_at,
    diffIds: by.get(r.scan_id) ?? [],
  }));
}

type Fact = [
  id: string,
  aliases: string[],
  severity: string,
  cvss: number | null,
  epss: number | null,
  kev: 0 | 1,
  risk: number,
  fixedVersion: string | null,
  name: string,
  version: string,
  ecosystem: string,
  purl: string,
  location: string,
  layerDiffId: string | null,
];

const toFact = (f: PlanFinding): Fact => [
  f.id,
  f.aliases,
  f.severity,
  f.cvss,
  f.epss,
  f.kev ? 1 : 0,
  f.risk,
  f.fixedVersions[0] ?? null,
  f.package.name,
  f.package.version,
  f.package.ecosystem,
  f.package.purl,
  f.package.location,
  f.layerDiffId,
];

const fromFact = (x: Fact): PlanFinding => ({
  id: x[0],
  aliases: x[1],
  severity: x[2],
  cvss: x[3],
  epss: x[4],
  kev: x[5] === 1,
  risk: x[6],
  fixedVersions: x[7] === null ? [] : [x[7]],
  package: {
    name: x[8],
    version: x[9],
    ecosystem: x[10],
    type: '',
    purl: x[11],
    location: x[12],
    sourceName: null,
    sourceVersion: null,
  },
  matched: { ecosystem: x[10], name: x[8], version: x[9] },
  layerDiffId: x[13],
});

/**
 * The findings of a scan as far as its risk needs them (not enough for a plan: one fixing
 * version, no source package), from `scan_risk`, written from the report on first use. About a
 * thirtieth of the report's size: the portfolio ranking reads these.
 */
export async function scanRiskFindings(store: Store, scanId: number): Promise<PlanFinding[] | undefined> {
  const row = await store.db
    .selectFrom('scan_risk')
    .select('facts')
    .where('scan_id', '=', scanId)
    .executeTakeFirst();
  if (row) return (JSON.parse(row.facts) as Fact[]).map(fromFact);
  const input = await scanPlanInput(store, scanId);
  if (!input) return undefined;
  await store.db
    .insertInto('scan_risk')
    .values({ scan_id: scanId, facts: JSON.stringify(input.findings.map(toFact)) })
    .onConflict((oc) => oc.column('scan_id').doNothing())
    .execute();
  return input.findings;
}
