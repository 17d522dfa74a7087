import type { Inventory, Package } from '../core/types.js';
import type { VersionScheme } from '../ecosystems/types.js';
import { ecosystemBase, normalizePackageName, versionScheme } from '../ecosystems/index.js';
import type { OsvRecord, VulnDb } from '../vulndb/types.js';
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
    for (const id of [h.record.id, ...(h.record.aliases ?? [])]) if (!parent.has(id)) parent.set(id, id);
    for (const id of h.record.aliases ?? []) union(h.record.id, id);
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
function severityOf(records: readonly OsvRecord[], cves: readonly string[], db: VulnDb): SeverityVerdict {
  const own = decideSeverity(records);
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

function groupFacts(records: OsvRecord[], db: VulnDb): GroupFacts {
  const ids = new Set<string>();
  for (const r of records) for (const id of [r.id, ...(r.aliases ?? [])]) ids.add(id);
  const cves = [...ids].filter((id) => CVE.test(id)).sort(byString);
  const id = cves.length === 1 ? cves[0]! : records[0]!.id;
  return {
    id,
    aliases: [...ids].filter((x) => x !== id).sort(byString),
    recordIds: records.map((r) => r.id),
    verdict: severityOf(records, cves, db),
    epss: cves.length ? db.epss(cves) : undefined,
    kev: cves.length ? db.kev(cves) : undefined,
    references: [
      ...new Set(records.flatMap((r) => (r.references ?? []).map((ref) => ref.url)).filter(Boolean)),
    ],
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

function buildFinding(pkg: Package, group: Hit[], db: VulnDb, memo: Map<string, GroupFacts>): VulnFinding {
  const records = [...new Map(group.map((h) => [h.record.id, h.record])).values()].sort((a, b) =>
    byString(a.id, b.id),
  );
  // one advisory usually matches many packages (every binary of a source package): its facts,
  // severity scoring and KEV/EPSS look-ups are computed once per scan
  const key = records.map((r) => r.id).join('\0');
  let facts = memo.get(key);
  if (!facts) {
    facts = groupFacts(records, db);
    memo.set(key, facts);
  }
  const { id, aliases, verdict, epss, kev, references, summary, published, modified } = facts;
  const scheme = group.find((h) => h.fixScheme)?.fixScheme;
  const fixedVersions = sortVersions(
    group.flatMap((h) => h.fixes),
    scheme,
  );
  const target = group[0]!.target;

  return {
    id,
    aliases: [...aliases],
    records: facts.recordIds,
    package: pkg,
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
    references: [...references],
    ...(published ? { published } : {}),
    ...(modified ? { modified } : {}),
  };
}

/**
 * Matches every package of an inventory against the database with OSV semantics and returns one
 * finding per (package, vulnerability), sorted deterministically. Never throws on bad records:
 * they are skipped with a warning.
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
  const findings: VulnFinding[] = [];
  const facts = new Map<string, GroupFacts>();

  for (const pkg of inv.packages) {
    const hits: Hit[] = [];
    for (const target of lookupTargets(pkg, inv.os, known)) {
      const name = normalized(target.ecosystem, target.name);
      const scheme = schemeFor(target.ecosystem, schemes);
      for (const record of db.lookup(target.ecosystem, name)) {
        if (record.withdrawn) continue;
        let hit: Hit | undefined;
        for (const entry of record.affected ?? []) {
          if (entry.package?.ecosystem !== target.ecosystem) continue;
          if (normalized(target.ecosystem, entry.package.name) !== name) continue;
          if (!target.accepts(entry)) continue;
          const r = evaluateAffected(entry, target.version, scheme, record.id, (w) =>
            // an unparsable installed version is one problem of the package, not one per record
            warn(
              w.code === 'INVALID_VERSION'
                ? { ...w, input: `${pkg.name} ${pkg.version} (${pkg.location})` }
                : { ...w, input: `${w.input ?? record.id} (${pkg.name} ${pkg.version})` },
            ),
          );
          if (!r.affected) continue;
          hit ??= { record, target, fixes: [], fixScheme: r.fixScheme };
          hit.fixes.push(...r.fixes);
          hit.fixScheme ??= r.fixScheme;
        }
        if (hit && !hits.some((h) => h.record.id === record.id)) hits.push(hit);
      }
    }
    for (const group of groupHits(hits)) findings.push(buildFinding(pkg, group, db, facts));
  }
  return { findings: sortFindings(findings, opts.sort), warnings };
}
