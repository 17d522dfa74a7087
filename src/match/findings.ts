/**
 * From matched records to findings: records that alias each other are grouped, each group's facts
 * (primary id, aliases, severity, KEV, EPSS, references) computed once per scan, and every finding
 * built from its group's template.
 */
import type { Package } from '../core/types.js';
import type { VersionScheme } from '../ecosystems/types.js';
import type { OsvRecord, VendorRating, VulnDb } from '../vulndb/types.js';
import { advisoryRating, decide, nvdRating, recordVendorRating, trackerRatings, vendorOf } from './rating.js';
import { riskScore } from './risk.js';
import { decideSeverity } from './severity.js';
import type { LookupTarget } from './targets.js';
import type { Rating, RatingSource, VulnFinding } from './types.js';

const CVE = /^CVE-\d{4}-\d{4,}$/;

/** A record whose entries matched a target, with the fixing versions above the target's version. */
export interface Hit {
  record: OsvRecord;
  target: LookupTarget;
  fixes: string[];
  fixScheme?: VersionScheme | undefined;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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

/** What a finding takes from its records alone: the same for every package the group matches. */
interface GroupFacts {
  id: string;
  aliases: string[];
  recordIds: string[];
  /** ratings that do not depend on the matched package */
  ghsa: Rating | undefined;
  nvd: Rating | undefined;
  recordVendor: Rating | undefined;
  /** the distributions' ratings of the group's CVEs, every release and package */
  vendorRows: VendorRating[];
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

/** `UBUNTU-CVE-2022-1292`, `DEBIAN-CVE-…`, `ALPINE-CVE-…`: a distribution's record of one CVE. */
const DISTRO_CVE_ID = /^[A-Z]+-(CVE-\d{4}-\d{4,})$/;

/**
 * The CVEs a group is rated by: its ids' CVEs, plus the CVEs a distribution record names without
 * listing them as aliases (Red Hat's `upstream`, the CVE inside an `UBUNTU-CVE-…` id).
 */
function ratingCves(records: readonly OsvRecord[], cves: readonly string[]): string[] {
  const out = new Set(cves);
  for (const r of records) {
    const inId = DISTRO_CVE_ID.exec(r.id)?.[1];
    if (inId) out.add(inId);
    for (const u of r.upstream ?? []) if (CVE.test(u)) out.add(u);
  }
  return out.size === cves.length ? [...cves] : [...out].sort(byString);
}

function referenceUrls(records: readonly OsvRecord[]): string[] {
  const urls = new Set<string>();
  for (const r of records) for (const ref of r.references ?? []) if (ref.url) urls.add(ref.url);
  return [...urls];
}

function groupFacts(records: OsvRecord[], db: VulnDb): GroupFacts {
  const { ids, cves } = groupIds(records);
  const rated = ratingCves(records, cves);
  const id = cves.length === 1 ? cves[0]! : records[0]!.id;
  return {
    id,
    aliases: [...ids].filter((x) => x !== id).sort(byString),
    recordIds: records.map((r) => r.id),
    ghsa: advisoryRating(records, () => (cves.length && db.related ? db.related(cves) : [])),
    nvd: rated.length && db.nvd ? nvdRating(db.nvd(rated)) : undefined,
    recordVendor: recordVendorRating(records),
    vendorRows: rated.length && db.vendorRatings ? db.vendorRatings(rated) : [],
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
export interface RecordGroup {
  records: OsvRecord[];
  facts?: GroupFacts;
}

/** A record group matched for one target, with the fixing versions above the target's version. */
export interface MatchedGroup {
  group: RecordGroup;
  fixedVersions: string[];
  target: LookupTarget;
  template?: Omit<VulnFinding, 'package'>;
}

export function matchedGroups(hits: Hit[], groups: Map<string, RecordGroup>): MatchedGroup[] {
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
export function computeFacts(groups: Iterable<RecordGroup>, db: VulnDb): void {
  const pending = [...groups].filter((g) => !g.facts);
  if (db.prefetchIds) {
    const unrated = new Set<string>();
    const all = new Set<string>();
    const rated = new Set<string>();
    for (const g of pending) {
      const own = decideSeverity(g.records.filter((r) => !vendorOf(r.id)));
      const { cves } = groupIds(g.records);
      for (const cve of cves) {
        all.add(cve);
        if (!own.cvss) unrated.add(cve);
      }
      for (const cve of ratingCves(g.records, cves)) rated.add(cve);
    }
    db.prefetchIds({ related: unrated, epss: all, ratings: rated });
  }
  for (const g of pending) g.facts = groupFacts(g.records, db);
}

/** Everything of a finding but the package: the same for every package the matched group serves. */
function findingTemplate(
  matched: MatchedGroup,
  order: readonly RatingSource[] | undefined,
): Omit<VulnFinding, 'package'> {
  const { fixedVersions, target } = matched;
  const facts = matched.group.facts!;
  const { id, aliases, epss, kev, references, summary, published, modified } = facts;
  // the tracker rates the CVE per release and source package: the target's
  const tracker = trackerRatings(facts.vendorRows, target.ecosystem, target.name);
  const vendor = tracker.vendor ?? facts.recordVendor;
  const verdict = decide({ vendor, nvd: facts.nvd ?? tracker.nvd, ghsa: facts.ghsa }, order);
  const decided = verdict.decided;
  return {
    id,
    aliases,
    records: facts.recordIds,
    matched: { ecosystem: target.ecosystem, name: target.name, version: target.version },
    ...(summary ? { summary } : {}),
    ...(fixedVersions.length ? { fixedVersion: fixedVersions[0] } : {}),
    fixedVersions,
    severity: verdict.severity,
    ...(decided
      ? { severitySource: { source: decided.source, record: decided.record, type: decided.type } }
      : {}),
    ...(vendor
      ? {
          vendorSeverity: {
            vendor: vendor.vendor ?? '',
            severity: vendor.severity,
            label: vendor.label ?? vendor.type,
            record: vendor.record,
          },
        }
      : {}),
    ...(verdict.cvss
      ? {
          cvss: verdict.cvss.score,
          cvssSource: { source: verdict.cvss.rating.source, record: verdict.cvss.rating.record },
        }
      : {}),
    ratings: verdict.ratings,
    ...(epss ? { epss } : {}),
    ...(kev ? { kev } : {}),
    risk: riskScore({
      severity: verdict.severity,
      cvss: verdict.cvss?.score,
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
export function buildFinding(
  pkg: Package,
  matched: MatchedGroup,
  order?: readonly RatingSource[],
): VulnFinding {
  const t = (matched.template ??= findingTemplate(matched, order));
  return { ...t, package: pkg };
}
