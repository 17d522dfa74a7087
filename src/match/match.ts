import type { Inventory } from '../core/types.js';
import type { VersionScheme } from '../ecosystems/types.js';
import { ecosystemBase, normalizePackageName, versionScheme } from '../ecosystems/index.js';
import type { MatchCandidate, VulnDb } from '../vulndb/types.js';
import {
  buildFinding,
  computeFacts,
  matchedGroups,
  type Hit,
  type MatchedGroup,
  type RecordGroup,
} from './findings.js';
import { evaluateAffected } from './osv-range.js';
import { sortFindings } from './sort.js';
import { lookupTargets, type LookupTarget } from './targets.js';
import type { MatchOptions, MatchResult, MatchWarning, VulnFinding } from './types.js';

function schemeFor(ecosystem: string, cache: Map<string, VersionScheme | null>): VersionScheme | undefined {
  const base = ecosystemBase(ecosystem);
  let s = cache.get(base);
  if (s === undefined) {
    s = versionScheme(base) ?? null;
    cache.set(base, s);
  }
  return s ?? undefined;
}

function normalized(ecosystem: string, name: string): string {
  return normalizePackageName(ecosystemBase(ecosystem), name);
}

function candidatesFor(db: VulnDb, ecosystem: string, name: string): readonly MatchCandidate[] {
  if (db.candidates) return db.candidates(ecosystem, name);
  return db.lookup(ecosystem, name).map((r) => ({ id: r.id, entries: r.affected ?? [], record: () => r }));
}

/** A candidate whose entries matched a target, before its record is read. */
interface PendingHit {
  cand: MatchCandidate;
  fixes: string[];
  fixScheme?: VersionScheme | undefined;
}

/** What one lookup target matched: the same for every package that asks it (binaries of a source). */
interface TargetMatch {
  target: LookupTarget;
  pending: PendingHit[];
  /** inputs are record ids; each package reports them under its own name */
  warnings: MatchWarning[];
  /** the pending hits with their records (withdrawn ones dropped), once records are read */
  hits?: Hit[];
  matched?: MatchedGroup[];
}

function matchTarget(
  db: VulnDb,
  target: LookupTarget,
  name: string,
  scheme: VersionScheme | undefined,
): TargetMatch {
  const pending: PendingHit[] = [];
  const warnings: MatchWarning[] = [];
  const warn = (w: MatchWarning) => warnings.push(w);
  for (const cand of candidatesFor(db, target.ecosystem, name)) {
    let hit: PendingHit | undefined;
    for (const entry of cand.entries) {
      if (entry.package?.ecosystem !== target.ecosystem) continue;
      if (normalized(target.ecosystem, entry.package.name) !== name) continue;
      if (!target.accepts(entry)) continue;
      const r = evaluateAffected(entry, target.version, scheme, cand.id, warn);
      if (!r.affected) continue;
      hit ??= { cand, fixes: [], fixScheme: r.fixScheme };
      hit.fixes.push(...r.fixes);
      hit.fixScheme ??= r.fixScheme;
    }
    if (hit) pending.push(hit);
  }
  return { target, pending, warnings };
}

/** Reads the records of every matched candidate (in one go where the store can) and drops withdrawn ones. */
function resolveHits(matches: Iterable<TargetMatch>, db: VulnDb): void {
  const todo = [...matches].filter((m) => !m.hits);
  if (db.prefetchIds) db.prefetchIds({ records: todo.flatMap((m) => m.pending.map((p) => p.cand.id)) });
  for (const m of todo) {
    m.hits = [];
    for (const p of m.pending) {
      const record = p.cand.record();
      if (record && !record.withdrawn)
        m.hits.push({ record, target: m.target, fixes: p.fixes, fixScheme: p.fixScheme });
    }
  }
}

/**
 * Matches every package of an inventory against the database with OSV semantics and returns one
 * finding per (package, vulnerability), sorted deterministically. Never throws on bad records:
 * they are skipped with a warning. In phases, so the store can answer each kind of question for
 * the whole inventory at once: names, then matched records, then ratings and EPSS scores.
 */
export function matchInventory(inv: Inventory, db: VulnDb, opts: MatchOptions = {}): MatchResult {
  const warnings: MatchWarning[] = [];
  const seenWarnings = new Set<string>();
  const warn = (w: MatchWarning) => {
    const key = `${w.code}\0${w.input ?? ''}\0${w.message}`;
    if (seenWarnings.has(key)) return;
    seenWarnings.add(key);
    warnings.push(w);
  };
  const schemes = new Map<string, VersionScheme | null>();
  const known = db.ecosystems();

  const planned = inv.packages.map((pkg) => ({
    pkg,
    targets: lookupTargets(pkg, inv.os, known).map((target) => ({
      target,
      name: normalized(target.ecosystem, target.name),
    })),
  }));
  if (db.prefetch) {
    const names = new Map<string, Set<string>>();
    for (const { targets } of planned) {
      for (const { target, name } of targets) {
        const set = names.get(target.ecosystem);
        if (set) set.add(name);
        else names.set(target.ecosystem, new Set([name]));
      }
    }
    for (const [ecosystem, set] of names) db.prefetch(ecosystem, set);
  }

  // every package's targets evaluated, each distinct (target kind, ecosystem, name, version) once
  // (nested maps: composing one string key per package cost more than the look-ups themselves)
  const byTarget = new Map<LookupTarget['accepts'], Map<string, Map<string, Map<string, TargetMatch>>>>();
  const distinct: TargetMatch[] = [];
  const perPackage = planned.map(({ pkg, targets }) =>
    targets.map(({ target, name }) => {
      let byEcosystem = byTarget.get(target.accepts);
      if (!byEcosystem) byTarget.set(target.accepts, (byEcosystem = new Map()));
      let byName = byEcosystem.get(target.ecosystem);
      if (!byName) byEcosystem.set(target.ecosystem, (byName = new Map()));
      let byVersion = byName.get(name);
      if (!byVersion) byName.set(name, (byVersion = new Map()));
      let m = byVersion.get(target.version);
      if (!m) {
        m = matchTarget(db, target, name, schemeFor(target.ecosystem, schemes));
        byVersion.set(target.version, m);
        distinct.push(m);
      }
      for (const w of m.warnings) {
        // an unparsable installed version is one problem of the package, not one per record
        warn(
          w.code === 'INVALID_VERSION'
            ? { ...w, input: `${pkg.name} ${pkg.version} (${pkg.location})` }
            : { ...w, input: `${w.input ?? '?'} (${pkg.name} ${pkg.version})` },
        );
      }
      return m;
    }),
  );
  resolveHits(distinct, db);

  const groups = new Map<string, RecordGroup>();
  const matchedPerPackage = perPackage.map((matches): MatchedGroup[] => {
    if (matches.length === 1) {
      const m = matches[0]!;
      return (m.matched ??= matchedGroups(m.hits!, groups));
    }
    // a record matched through several targets (binary and source rpm) counts once, first wins
    const seen = new Set<string>();
    const hits = matches
      .flatMap((m) => m.hits!)
      .filter((h) => !seen.has(h.record.id) && !!seen.add(h.record.id));
    return matchedGroups(hits, groups);
  });
  computeFacts(groups.values(), db);

  const findings: VulnFinding[] = [];
  for (let i = 0; i < planned.length; i++) {
    for (const matched of matchedPerPackage[i]!)
      findings.push(buildFinding(planned[i]!.pkg, matched, opts.severitySources));
  }
  return { findings: sortFindings(findings, opts.sort), warnings };
}
