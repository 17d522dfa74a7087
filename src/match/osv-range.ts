import type { VersionScheme } from '../ecosystems/types.js';
import type { OsvAffected, OsvEvent, OsvRange } from '../vulndb/types.js';
import { semverScheme } from './semver-scheme.js';
import type { MatchWarning } from './types.js';

/** Outcome of evaluating one affected entry against one installed version. */
export interface AffectedEval {
  affected: boolean;
  /** `fixed` events above the installed version in the ranges that matched */
  fixes: string[];
  /** scheme the fixes are ordered in */
  fixScheme?: VersionScheme;
}

type EventKind = 'introduced' | 'last_affected' | 'fixed' | 'limit';
interface FlatEvent {
  kind: EventKind;
  value: string;
}

// Among events at the same version, `introduced` must be applied first so that an equal `fixed`
// closes the range again (OSV: fixed is exclusive, last_affected inclusive).
const KIND_ORDER: Record<EventKind, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

function flatten(events: readonly OsvEvent[]): FlatEvent[] {
  const out: FlatEvent[] = [];
  for (const e of events) {
    for (const kind of ['introduced', 'last_affected', 'fixed', 'limit'] as const) {
      const value = e[kind];
      if (typeof value === 'string') out.push({ kind, value });
    }
  }
  return out;
}

/** `introduced: "0"` is below everything and `limit: "*"` above everything. */
function isSentinel(e: FlatEvent): boolean {
  return (e.kind === 'introduced' && e.value === '0') || (e.kind === 'limit' && e.value === '*');
}

function compareEvents(scheme: VersionScheme, a: FlatEvent, b: FlatEvent): number {
  const rank = (e: FlatEvent): number =>
    e.kind === 'introduced' && e.value === '0' ? -1 : isSentinel(e) ? 1 : 0;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== 0 || rb !== 0) {
    if (ra !== rb) return ra - rb;
  } else {
    const c = scheme.compare(a.value, b.value);
    if (c !== 0) return c;
  }
  return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
}

/**
 * A range ready to evaluate in one scheme: events sorted, validity and `limit` events found once.
 * Ranges live in candidates the database handle memoises, so each is compiled once however many
 * packages and versions it is evaluated for.
 */
interface CompiledRange {
  scheme: VersionScheme;
  sorted: FlatEvent[];
  /** the first event the scheme cannot parse: the range is skipped with a warning */
  bad: FlatEvent | undefined;
  hasIntroduced: boolean;
  limits: FlatEvent[];
}

const compiledCache = new WeakMap<OsvRange, CompiledRange>();

function compileRange(range: OsvRange, scheme: VersionScheme): CompiledRange {
  const hit = compiledCache.get(range);
  if (hit && hit.scheme === scheme) return hit;
  const events = flatten(range.events ?? []);
  const bad = events.find((e) => !isSentinel(e) && !scheme.isValid(e.value));
  const sorted = bad ? events : [...events].sort((a, b) => compareEvents(scheme, a, b));
  const compiled: CompiledRange = {
    scheme,
    sorted,
    bad,
    hasIntroduced: events.some((e) => e.kind === 'introduced'),
    limits: sorted.filter((e) => e.kind === 'limit'),
  };
  compiledCache.set(range, compiled);
  return compiled;
}

/**
 * OSV "Evaluation": walk the sorted events; introduced opens, fixed (exclusive) and last_affected
 * (inclusive) close. When a range has `limit` events the version must also be below one of them.
 */
function versionInRange(version: string, range: CompiledRange): { affected: boolean; fixes: string[] } {
  const { sorted, limits, scheme } = range;
  if (limits.length > 0 && !limits.some((l) => l.value === '*' || scheme.compare(version, l.value) < 0)) {
    return { affected: false, fixes: [] };
  }
  let affected = false;
  for (const e of sorted) {
    if (e.kind === 'introduced') {
      if (e.value === '0' || scheme.compare(version, e.value) >= 0) affected = true;
    } else if (e.kind === 'fixed') {
      if (scheme.compare(version, e.value) >= 0) affected = false;
    } else if (e.kind === 'last_affected') {
      if (scheme.compare(version, e.value) > 0) affected = false;
    }
  }
  const fixes = affected
    ? sorted.filter((e) => e.kind === 'fixed' && scheme.compare(e.value, version) > 0).map((e) => e.value)
    : [];
  return { affected, fixes };
}

function rangeScheme(range: OsvRange, ecosystemScheme: VersionScheme | undefined): VersionScheme | undefined {
  if (range.type === 'SEMVER') return semverScheme;
  if (range.type === 'ECOSYSTEM') return ecosystemScheme;
  return undefined;
}

// Canonical texts of an entry's listed versions, per scheme: built on the first look-up that needs
// them, so a list evaluated for several installed versions is read once.
const listedCache = new WeakMap<OsvAffected, { scheme: VersionScheme; keys: Set<string | undefined> }>();

/**
 * Is `version` in the entry's explicit `versions` (equal as written, or equal in the scheme)?
 * Schemes with a canonical text compare that through a set; others compare each listed version
 * (parsed versions are memoised by the scheme).
 */
function listedVersion(entry: OsvAffected, version: string, scheme: VersionScheme | undefined): boolean {
  const listed = entry.versions ?? [];
  if (listed.includes(version)) return true;
  if (!scheme || !scheme.isValid(version)) return false;
  if (scheme.canonical) {
    let cached = listedCache.get(entry);
    if (!cached || cached.scheme !== scheme) {
      cached = { scheme, keys: new Set(listed.map((v) => scheme.canonical?.(v))) };
      cached.keys.delete(undefined);
      listedCache.set(entry, cached);
    }
    return cached.keys.has(scheme.canonical(version));
  }
  for (const v of listed) if (scheme.isValid(v) && scheme.compare(v, version) === 0) return true;
  return false;
}

/**
 * Is `version` affected by this entry? Versions listed in `versions` and ECOSYSTEM/SEMVER ranges
 * count; GIT (and unknown) ranges never match on their own. A range holding a version its scheme
 * cannot parse is skipped with a warning instead of failing the scan.
 */
export function evaluateAffected(
  entry: OsvAffected,
  version: string,
  ecosystemScheme: VersionScheme | undefined,
  recordId: string,
  warn: (w: MatchWarning) => void,
): AffectedEval {
  let affected = false;
  const fixes: string[] = [];
  let fixScheme: VersionScheme | undefined;

  for (const range of entry.ranges ?? []) {
    const scheme = rangeScheme(range, ecosystemScheme);
    if (!scheme) {
      if (range.type === 'ECOSYSTEM') {
        warn({
          code: 'UNSUPPORTED_ECOSYSTEM',
          message: `no version scheme for ${entry.package?.ecosystem ?? '?'}: ECOSYSTEM range skipped`,
          input: recordId,
        });
      }
      continue;
    }
    if (!scheme.isValid(version)) {
      warn({
        code: 'INVALID_VERSION',
        message: `installed version ${version} is not valid for ${scheme.id}: range skipped`,
        input: recordId,
      });
      continue;
    }
    const compiled = compileRange(range, scheme);
    if (compiled.bad) {
      const bad = compiled.bad;
      warn({
        code: 'INVALID_RANGE',
        message: `${bad.kind} ${JSON.stringify(bad.value)} is not a valid ${scheme.id} version: range skipped`,
        input: recordId,
      });
      continue;
    }
    if (!compiled.hasIntroduced) continue;
    const r = versionInRange(version, compiled);
    if (r.affected) {
      affected = true;
      fixes.push(...r.fixes);
      fixScheme ??= scheme;
    }
  }
  // Ranges first: a listed version adds no fixing version, so the (often long, PyPI) list is
  // read only when no range says affected.
  if (!affected && entry.versions?.length) affected = listedVersion(entry, version, ecosystemScheme);
  return { affected, fixes, ...(fixScheme ? { fixScheme } : {}) };
}
