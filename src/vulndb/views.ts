/**
 * The two projections of a record the store keeps beside its full JSON, so matching parses only
 * what it reads: a package's affected entries (ranges, versions, severity) and the record's head
 * (what a finding shows). A scan touches thousands of records; the full JSON of a Go or PyPI
 * advisory is mostly prose, reference lists, symbol lists and other packages' ranges.
 */
import type { OsvAffected, OsvRecord } from './types.js';

/** Keys of a feed's free-form objects that rating reads: labels (GHSA, Red Hat) and Ubuntu's priority. */
const RATING_KEYS = ['severity', 'ubuntu_priority'] as const;

/** Only the rating keys of a feed's free-form object. */
function severityOnly(obj: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!obj) return undefined;
  let out: Record<string, unknown> | undefined;
  for (const k of RATING_KEYS) if (obj[k] !== undefined) (out ??= {})[k] = obj[k];
  return out;
}

/** What severity rating reads from an affected entry; undefined when the entry rates nothing. */
function entrySeverity(a: OsvAffected): OsvAffected | undefined {
  const database = severityOnly(a.database_specific);
  const ecosystem = severityOnly(a.ecosystem_specific);
  if (!a.severity?.length && !database && !ecosystem) return undefined;
  return {
    ...(a.severity?.length ? { severity: a.severity } : {}),
    ...(database ? { database_specific: database } : {}),
    ...(ecosystem ? { ecosystem_specific: ecosystem } : {}),
  };
}

/** What severity rating reads from a record: its vectors, its entries' severities, its feed label. */
function ratingParts(rec: OsvRecord): Omit<OsvRecord, 'id'> {
  const database = severityOnly(rec.database_specific);
  const rated = (rec.affected ?? []).map(entrySeverity).filter((a): a is OsvAffected => a !== undefined);
  return {
    ...(rec.severity?.length ? { severity: rec.severity } : {}),
    ...(rated.length ? { affected: rated } : {}),
    ...(database ? { database_specific: database } : {}),
  };
}

/**
 * The two record projections the store keeps:
 * - `head`: the record without `details`, `related` and free-form data other than severity labels;
 *   its `affected` keeps only the entries that carry a severity, reduced to it (no package, no
 *   ranges);
 * - `rating`: what severity rating reads (id, vectors and feed labels), or undefined when the
 *   record rates nothing: a Debian or Alpine advisory is rated from other records of its CVEs.
 */
export function recordViews(rec: OsvRecord): { head: OsvRecord; rating: OsvRecord | undefined } {
  const rating = ratingParts(rec);
  return {
    head: {
      id: rec.id,
      ...(rec.modified ? { modified: rec.modified } : {}),
      ...(rec.published ? { published: rec.published } : {}),
      ...(rec.withdrawn ? { withdrawn: rec.withdrawn } : {}),
      ...(rec.aliases?.length ? { aliases: rec.aliases } : {}),
      ...(rec.upstream?.length ? { upstream: rec.upstream } : {}),
      ...(rec.summary ? { summary: rec.summary } : {}),
      ...(rec.references?.length ? { references: rec.references } : {}),
      ...rating,
    },
    rating: Object.keys(rating).length ? { id: rec.id, ...rating } : undefined,
  };
}

/**
 * An affected entry as matching reads it: package, version ranges (GIT ranges never match on their
 * own and are dropped), explicit versions (those `keepListed` keeps, when given) and severity.
 */
export function matchEntry(
  a: OsvAffected,
  keepListed?: (entry: OsvAffected) => readonly string[],
): OsvAffected {
  const ranges = (a.ranges ?? []).filter((r) => r.type !== 'GIT');
  const versions = a.versions?.length && keepListed ? [...keepListed(a)] : a.versions;
  return {
    ...(a.package ? { package: a.package } : {}),
    ...(ranges.length ? { ranges } : {}),
    ...(versions?.length ? { versions } : {}),
    ...entrySeverity(a),
  };
}
