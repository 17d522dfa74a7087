/**
 * Triage decisions: what a team decided about a vulnerability (a VEX status, or an accepted risk
 * with an owner and an expiry), for one image, a repository or everywhere, with an append-only
 * comment thread. `resolveTriage` is the one place precedence is decided: the most specific scope
 * wins (image > repository > everywhere), then the most specific package (purl with version >
 * purl > package name > any package), then the newest decision.
 */
import type { Selectable } from 'kysely';
import { purlBase, purlNoQualifiers } from '../../vex/index.js';
import type { Store } from './open.js';
import type { TriageDecisionsTable, TriageScope, TriageStatus } from './schema.js';

export const TRIAGE_STATUSES: readonly TriageStatus[] = [
  'not_affected',
  'affected',
  'fixed',
  'under_investigation',
  'accepted_risk',
];

export { JUSTIFICATIONS, type Justification } from '../../vex/index.js';

/** A stored decision row, as the store reads it (schema.ts's table, generated columns resolved). */
export type Decision = Selectable<TriageDecisionsTable>;

export type DecisionInput = Omit<
  TriageDecisionsTable,
  'id' | 'created_at' | 'updated_at' | 'deleted_at' | 'created_by' | 'author'
>;

export interface DecisionFilter {
  vulnId?: string;
  imageId?: number;
  repository?: string;
  status?: TriageStatus;
  limit?: number;
  offset?: number;
}

export async function createDecision(
  store: Store,
  d: DecisionInput,
  by: { userId: number | null; author: string },
  now: Date,
): Promise<Decision> {
  const at = now.toISOString();
  return store.db
    .insertInto('triage_decisions')
    .values({
      ...d,
      created_by: by.userId,
      author: by.author,
      created_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow() as Promise<Decision>;
}

export async function getDecision(store: Store, id: number): Promise<Decision | undefined> {
  return store.db
    .selectFrom('triage_decisions')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst() as Promise<Decision | undefined>;
}

export async function listDecisions(store: Store, f: DecisionFilter = {}): Promise<Decision[]> {
  let q = store.db.selectFrom('triage_decisions').selectAll().where('deleted_at', 'is', null);
  if (f.vulnId) q = q.where('vuln_id', '=', f.vulnId);
  if (f.imageId !== undefined) q = q.where('image_id', '=', f.imageId);
  if (f.repository) q = q.where('repository', '=', f.repository);
  if (f.status) q = q.where('status', '=', f.status);
  q = q.orderBy('id');
  if (f.limit !== undefined) q = q.limit(f.limit).offset(f.offset ?? 0);
  return q.execute() as Promise<Decision[]>;
}

/** The decisions that may apply to an image: its own, its repository's, and the global ones. */
export async function decisionsForImage(
  store: Store,
  image: { id: number; repository: string },
): Promise<Decision[]> {
  return store.db
    .selectFrom('triage_decisions')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('scope', '=', 'everywhere'),
        eb.and([eb('scope', '=', 'repository'), eb('repository', '=', image.repository)]),
        eb.and([eb('scope', '=', 'image'), eb('image_id', '=', image.id)]),
      ]),
    )
    .orderBy('id')
    .execute() as Promise<Decision[]>;
}

export async function updateDecision(
  store: Store,
  id: number,
  patch: Partial<DecisionInput>,
  now: Date,
): Promise<Decision | undefined> {
  await store.db
    .updateTable('triage_decisions')
    .set({ ...patch, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .execute();
  return getDecision(store, id);
}

export async function deleteDecision(store: Store, id: number, now: Date): Promise<boolean> {
  const r = await store.db
    .updateTable('triage_decisions')
    .set({ deleted_at: now.toISOString() })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function addComment(
  store: Store,
  decisionId: number,
  by: { userId: number | null; author: string },
  body: string,
  now: Date,
) {
  return store.db
    .insertInto('triage_comments')
    .values({
      decision_id: decisionId,
      author_id: by.userId,
      author: by.author,
      body,
      created_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listComments(store: Store, decisionId: number) {
  return store.db
    .selectFrom('triage_comments')
    .selectAll()
    .where('decision_id', '=', decisionId)
    .orderBy('id')
    .execute();
}

export interface TriageTarget {
  vulnId: string;
  aliases?: readonly string[];
  packageName: string;
  purl: string;
}

/** How specifically a decision names a package; -1: it does not apply to this one. */
function packageRank(d: Pick<Decision, 'package_name' | 'purl'>, t: TriageTarget): number {
  if (d.purl) {
    if (d.purl.includes('@')) return purlNoQualifiers(d.purl) === purlNoQualifiers(t.purl) ? 3 : -1;
    return purlBase(d.purl) === purlBase(t.purl) ? 2 : -1;
  }
  if (d.package_name) return d.package_name === t.packageName ? 1 : -1;
  return 0;
}

const SCOPE_RANK: Record<TriageScope, number> = { everywhere: 0, repository: 1, image: 2 };

/** The decision that applies to a finding of an image, by the precedence above. */
export function resolveTriage<D extends Decision>(decisions: readonly D[], t: TriageTarget): D | undefined {
  let best: D | undefined;
  let bestRank = -1;
  for (const d of decisions) {
    if (d.vuln_id !== t.vulnId && !(t.aliases ?? []).includes(d.vuln_id)) continue;
    const p = packageRank(d, t);
    if (p < 0) continue;
    const rank = SCOPE_RANK[d.scope] * 10 + p;
    // ties: the later decision (higher id) wins
    if (rank > bestRank || (rank === bestRank && best && d.id > best.id)) {
      best = d;
      bestRank = rank;
    }
  }
  return best;
}

/** An accepted risk past its expiry no longer applies: the finding is open again. */
export function isExpired(d: Pick<Decision, 'status' | 'expires_at'>, now: Date): boolean {
  return d.status === 'accepted_risk' && d.expires_at !== null && d.expires_at <= now.toISOString();
}

/**
 * Whether a finding with this decision still needs work: no decision, `affected`,
 * `under_investigation`, or an expired acceptance.
 */
export function isOpen(d: Decision | undefined, now: Date): boolean {
  if (!d) return true;
  if (d.status === 'affected' || d.status === 'under_investigation') return true;
  return isExpired(d, now);
}

/** The `triage` filter values of the findings route. */
export const TRIAGE_FILTERS = ['open', 'untriaged', 'expired', 'all', ...TRIAGE_STATUSES] as const;
export type TriageFilter = (typeof TRIAGE_FILTERS)[number];

export function matchesFilter(d: Decision | undefined, f: TriageFilter, now: Date): boolean {
  switch (f) {
    case 'all':
      return true;
    case 'open':
      return isOpen(d, now);
    case 'untriaged':
      return d === undefined;
    case 'expired':
      return d !== undefined && isExpired(d, now);
    default:
      return d?.status === f;
  }
}

/** The packages (name, purl) of an image's finding states, from the scan that last saw each. */
export async function findingPackages(store: Store, imageId: number) {
  const rows = await store.db
    .selectFrom('finding_state as s')
    .innerJoin('findings as f', (j) =>
      j
        .onRef('f.scan_id', '=', 's.last_scan_id')
        .onRef('f.vuln_id', '=', 's.vuln_id')
        .onRef('f.package_key', '=', 's.package_key'),
    )
    .select(['s.vuln_id', 's.package_key', 'f.package_name', 'f.purl', 'f.package_version', 'f.ecosystem'])
    .where('s.image_id', '=', imageId)
    .execute();
  const out = new Map<string, { name: string; purl: string; version: string; ecosystem: string }>();
  for (const r of rows)
    out.set(`${r.vuln_id}\u0000${r.package_key}`, {
      name: r.package_name,
      purl: r.purl,
      version: r.package_version,
      ecosystem: r.ecosystem,
    });
  return out;
}

/** A live decision with the same target (vulnerability, package, scope): an import updates it. */
export async function findSameDecision(store: Store, d: DecisionInput): Promise<Decision | undefined> {
  let q = store.db
    .selectFrom('triage_decisions')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('vuln_id', '=', d.vuln_id)
    .where('scope', '=', d.scope);
  q =
    d.package_name === null
      ? q.where('package_name', 'is', null)
      : q.where('package_name', '=', d.package_name);
  q = d.purl === null ? q.where('purl', 'is', null) : q.where('purl', '=', d.purl);
  q = d.image_id === null ? q.where('image_id', 'is', null) : q.where('image_id', '=', d.image_id);
  q = d.repository === null ? q.where('repository', 'is', null) : q.where('repository', '=', d.repository);
  return q.orderBy('id', 'desc').executeTakeFirst() as Promise<Decision | undefined>;
}

/** Images whose latest scan or any stored scan had this manifest digest. */
export async function imagesByDigest(store: Store, digest: string) {
  return store.db
    .selectFrom('images')
    .select(['id', 'repository', 'tag', 'digest'])
    .where((eb) =>
      eb.or([
        eb('digest', '=', digest),
        eb('id', 'in', eb.selectFrom('scans').select('image_id').where('digest', '=', digest)),
      ]),
    )
    .orderBy('id')
    .execute();
}

/** The distinct package purls (without version) findings of a vulnerability had under a name. */
export async function purlsOfPackage(store: Store, vulnId: string, name: string): Promise<string[]> {
  const rows = await store.db
    .selectFrom('findings')
    .select('purl')
    .distinct()
    .where('vuln_id', '=', vulnId)
    .where('package_name', '=', name)
    .limit(200)
    .execute();
  return [...new Set(rows.map((r) => purlBase(r.purl)))].sort();
}
