import type { Inventory, Package } from '../core/types.js';
import type { VersionScheme } from '../ecosystems/types.js';
import { ecosystemBase, normalizePackageName, versionScheme } from '../ecosystems/index.js';
import type { MatchCandidate, OsvRecord, VulnDb } from '../vulndb/types.js';
import { evaluateAffected } from './osv-range.js';
import { riskScore } from './risk.js';
import { decideSeverity, type SeverityVerdict } from './severity.js';
import { sortFindings } from './sort.js';
import { lookupTargets, type LookupTarget } from './targets.js';
import type { MatchOptions, MatchResult, MatchWarning, VulnFinding } from './types.js';

const CVE = /^CVE-\d{4}-\d{4,}$/;

interface Hit {
  record: OsvRecord;
  target: LookupTarget;
  fixes: string[];
  fixScheme?: VersionScheme | undefined;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function schemeFor(ecosystem: string, cache: Map<string, VersionScheme | null>): VersionScheme | undefined {
  const base = ecosystemBase(ecosystem);
  let s = cache.get(base);
  if (s === undefined) {
    try {
      s = (versionScheme(base) as VersionScheme | undefined) ?? null;
    } catch {
      s = null;
    }
    cache.set(base, s);
  }
  return s ?? undefined;
}

function normalized(ecosystem: string, name: string): string {
  return normalizePackageName(ecosystemBase(ecosystem), name);
}

/** Records that alias each other (share an id or alias, transitively) form one group. */
function groupHits(hits: Hit[]): Hit[][] {
  if (hits.length < 2) return hits.length ? [hits] : [];
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const h of hits) {
    if (!parent.has(h.record.id)) parent.set(h.record.id, h.record.id);
    for (const id of h.record.aliases ?? []) {
      if (!parent.has(id)) parent.set(id, id);
      union(h.record.id, id);
    }
  }
  const groups = new Map<string, Hit[]>();
  for (const h of hits) {
    const root = find(h.record.id);
    const g = groups.get(root) ?? [];
    g.push(h);
    groups.set(root, g);
  }
  return [...groups.values()];
}

function sortVersions(versions: Iterable<string>, scheme: VersionScheme | undefined): string[] {
  const unique = [...new Set(versions)];
  return unique.sort((a, b) => {
    if (scheme) {
      try {
        const c = scheme.compare(a, b);
        if (c !== 0) return c;
      } catch {
        // a version the scheme rejects sorts by text below
      }
    }
    return byString(a, b);
  });
}

/**
 * Severity from the matched records; when they carry no valid CVSS vector (Debian and Alpine
 * advisories never do), from other records for the same CVEs if the database offers them. A
 * related record's vector wins over the matched records' labels, never over their own vectors.
 */
function severityOf(
  records: readonly OsvRecord[],
  own: SeverityVerdict,
  cves: readonly string[],
  db: VulnDb,
): SeverityVerdict {
  if (own.cvss || cves.length === 0 || !db.related) return own;
  const seen = new Set(records.map((r) => r.id));
  const related = db.related(cves).filter((r) => !seen.has(r.id) && !r.withdrawn);
  if (related.length === 0) return own;
  const other = decideSeverity(related);
  if (other.cvss) return other;
  return own.source ? own : other;
}

/** What a finding takes from its records alone: the same for every package the group matches. */
interface GroupFacts {
  id: string;
  aliases: string[];
  recordIds: string[];
  verdict: SeverityVerdict;
  epss: ReturnType<VulnDb['epss']>;
  kev: ReturnType<VulnDb['kev']>;
  references: string[];
  summary: string | undefined;
  published: string | undefined;
  modified: string | undefined;
}

/** Every id of a record group (record ids and their aliases) and the CVEs among them, sorted. */
function groupIds(records: readonly OsvRecord[]): { ids: Set<string>; cves: string[] } {
  const ids = new Set<string>();
  const cves: string[] = [];
  const add = (id: string) => {
    if (ids.has(id)) return;
    ids.add(id);
    if (CVE.test(id)) cves.push(id);
  };
  for (const r of records) {
    add(r.id);
    for (const id of r.aliases ?? []) add(id);
  }
  return { ids, cves: cves.sort(byString) };
}

function referenceUrls(records: readonly OsvRecord[]): string[] {
  const urls = new Set<string>();
  for (const r of records) for (const ref of r.references ?? []) if (ref.url) urls.add(ref.url);
  return [...urls];
}

function groupFacts(records: OsvRecord[], own: SeverityVerdict, db: VulnDb): GroupFacts {
  const { ids, cves } = groupIds(records);
  const id = cves.length === 1 ? cves[0]! : records[0]!.id;
  return {
    id,
    aliases: [...ids].filter((x) => x !== id).sort(byString),
    recordIds: records.map((r) => r.id),
    verdict: severityOf(records, own, cves, db),
    epss: cves.length ? db.epss(cves) : undefined,
    kev: cves.length ? db.kev(cves) : undefined,
    references: referenceUrls(records),
    summary: records.find((r) => r.summary)?.summary,
    published: records
      .map((r) => r.published)
      .filter((x): x is string => !!x)
      .sort(byString)[0],
    modified: records
      .map((r) => r.modified)
      .filter((x): x is string => !!x)
      .sort(byString)
      .at(-1),
  };
}

/**
 * Records that alias each other, as matched: one object per distinct set of records in a scan, so
 * its facts (severity scoring, KEV and EPSS look-ups) are computed once however many packages it
 * matches (every binary of a source package).
 */
interface RecordGroup {
  records: OsvRecord[];
  facts?: GroupFacts;
}

/** A record group matched for one target, with the fixing versions above the target's version. */
interface MatchedGroup {
  group: RecordGroup;
  fixedVersions: string[];
  target: LookupTarget;
  template?: Omit<VulnFinding, 'package'>;
}

function matchedGroups(hits: Hit[], groups: Map<string, RecordGroup>): MatchedGroup[] {
  return groupHits(hits).map((hitGroup) => {
    const records = [...new Map(hitGroup.map((h) => [h.record.id, h.record])).values()].sort((a, b) =>
      byString(a.id, b.id),
    );
    const key = records.map((r) => r.id).join('\0');
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { records }));
    const scheme = hitGroup.find((h) => h.fixScheme)?.fixScheme;
    const fixedVersions = sortVersions(
      hitGroup.flatMap((h) => h.fixes),
      scheme,
    );
    return { group, fixedVersions, target: hitGroup[0]!.target };
  });
}

/**
 * Facts for every record group of the scan. CVEs whose related ratings are needed (groups without
 * a vector of their own) and every CVE's EPSS score are announced to the store first, so it can
 * read them in one go.
 */
function computeFacts(groups: Iterable<RecordGroup>, db: VulnDb): void {
  const pending = [...groups].filter((g) => !g.facts).map((g) => ({ g, own: decideSeverity(g.records) }));
  if (db.prefetchIds) {
    const unrated = new Set<string>();
    const all = new Set<string>();
    for (const { g, own } of pending) {
      for (const cve of groupIds(g.records).cves) {
        all.add(cve);
        if (!own.cvss) unrated.add(cve);
      }
    }
    db.prefetchIds({ related: unrated, epss: all });
  }
  for (const { g, own } of pending) g.facts = groupFacts(g.records, own, db);
}

/** Everything of a finding but the package: the same for every package the matched group serves. */
function findingTemplate(matched: MatchedGroup): Omit<VulnFinding, 'package'> {
  const { fixedVersions, target } = matched;
  const facts = matched.group.facts!;
  const { id, aliases, verdict, epss, kev, references, summary, published, modified } = facts;
  return {
    id,
    aliases,
    records: facts.recordIds,
    matched: { ecosystem: target.ecosystem, name: target.name, version: target.version },
    ...(summary ? { summary } : {}),
    ...(fixedVersions.length ? { fixedVersion: fixedVersions[0] } : {}),
    fixedVersions,
    severity: verdict.severity,
    ...(verdict.source ? { severitySource: verdict.source } : {}),
    ...(verdict.cvss ? { cvss: verdict.cvss } : {}),
    ...(epss ? { epss } : {}),
    ...(kev ? { kev } : {}),
    risk: riskScore({
      severity: verdict.severity,
      cvss: verdict.cvss,
      epss,
      kev,
      fixAvailable: fixedVersions.length > 0,
    }),
    references,
    ...(published ? { published } : {}),
    ...(modified ? { modified } : {}),
  };
}

/** A finding: the group's template (lists shared, read-only) with the package. */
function buildFinding(pkg: Package, matched: MatchedGroup): VulnFinding {
  const t = (matched.template ??= findingTemplate(matched));
  return { ...t, package: pkg };
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
    for (const matched of matchedPerPackage[i]!) findings.push(buildFinding(planned[i]!.pkg, matched));
  }
  return { findings: sortFindings(findings, opts.sort), warnings };
}
