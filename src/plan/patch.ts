/**
 * Patch plans: per package, the minimal version that fixes all of its findings, ranked by the
 * exploit probability its upgrade removes.
 *
 * Packages are grouped by what the matcher compared (ecosystem, matched name and version: the
 * Debian source package, so `curl` and `libcurl4` are one upgrade). The candidates are the fixing
 * versions the findings list, in the ecosystem's own order (src/ecosystems); each is checked
 * against every finding of the group by a FixOracle, and the lowest one that fixes them all is
 * the target. A fix that lies inside another finding's affected range is therefore never chosen
 * just because it is the highest "first fix". Two oracles:
 * - `database`: the matcher itself (src/match) run on the package at the candidate version
 *   against the vulnerability database, exact, and it also sees advisories the candidate would
 *   bring in;
 * - `report`: from the report alone: a candidate fixes a finding when it is one of that finding's
 *   fixing versions or at or above the last of them; a version between two of a finding's fixes
 *   may sit in a later affected range the report does not describe, so it counts as not fixing.
 */
import { versionScheme } from '../ecosystems/index.js';
import { commandKind, upgradeCommand } from './commands.js';
import { layerOrigin, NO_BASE } from './layers.js';
import { exploitP, openFindings, probabilityOf, round } from './risk.js';
import type { BaseEvidence, IsOpen, LayerOrigin, PlanFinding, PlanInput, PlanPackage } from './types.js';

export interface PlanGroup {
  key: string;
  /** the matched ecosystem (`Debian:11`, `npm`) */
  ecosystem: string;
  name: string;
  version: string;
  packages: PlanPackage[];
  findings: PlanFinding[];
}

export interface FixProbe {
  group: PlanGroup;
  version: string;
}

export interface FixOracle {
  basis: 'database' | 'report';
  /**
   * For each probe, the vulnerability ids (with aliases) that still affect the group's package at
   * that version. The report oracle only knows the group's own findings.
   */
  affectedAt(probes: readonly FixProbe[]): ReadonlySet<string>[];
}

export interface PlanStep {
  ecosystem: string;
  /** the package as matched (the source package for Debian/Ubuntu) */
  name: string;
  installed: string;
  /** the minimal version that fixes every fixable finding of the package */
  target: string;
  packages: { name: string; version: string; location: string; purl: string }[];
  command: string | null;
  commandKind: 'shell' | 'coordinates' | 'none';
  /** the vulnerabilities the target fixes (one id for all the binaries that had it) */
  fixes: string[];
  /** findings the target does not fix: no fix listed, or none of the listed fixes fixes them all */
  remaining: string[];
  /** advisories the target version is affected by that the installed one is not (database only) */
  introduces: string[];
  /** exploit probability this step alone removes from the image */
  riskRemoved: number;
  /** the image's exploit probability once this step and every one before it are done */
  riskAfter: number;
  /** sum of the fixed findings' 0..100 risk scores (the tie-breaker when probabilities are equal) */
  scoreRemoved: number;
  origins: LayerOrigin[];
  /** the candidate fixing versions compared */
  candidates: string[];
}

export interface Unfixable {
  ecosystem: string;
  name: string;
  version: string;
  packages: string[];
  findings: string[];
  /** why no upgrade is planned */
  reason: string;
  probability: number;
}

export interface PatchPlan {
  basis: 'database' | 'report';
  probability: number;
  /** with every step applied */
  probabilityAfter: number;
  steps: PlanStep[];
  unfixable: Unfixable[];
}

export interface PlanOptions {
  isOpen?: IsOpen;
  oracle?: FixOracle;
  base?: BaseEvidence;
}

const cmpStr = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The packages of the report grouped as the matcher compared them. */
export function planGroups(findings: readonly PlanFinding[]): PlanGroup[] {
  const groups = new Map<string, PlanGroup>();
  for (const f of findings) {
    const key = `${f.matched.ecosystem}\u0000${f.matched.name}\u0000${f.matched.version}`;
    let g = groups.get(key);
    if (!g)
      groups.set(
        key,
        (g = {
          key,
          ecosystem: f.matched.ecosystem,
          name: f.matched.name,
          version: f.matched.version,
          packages: [],
          findings: [],
        }),
      );
    g.findings.push(f);
    const p = f.package;
    if (!g.packages.some((x) => x.name === p.name && x.version === p.version && x.location === p.location))
      g.packages.push(p);
  }
  for (const g of groups.values())
    g.packages.sort((a, b) => cmpStr(a.name, b.name) || cmpStr(a.location, b.location));
  return [...groups.values()].sort((a, b) => cmpStr(a.key, b.key));
}

const idsOf = (f: PlanFinding) => [f.id, ...f.aliases];
const stillAffects = (f: PlanFinding, affected: ReadonlySet<string>) => idsOf(f).some((i) => affected.has(i));

/** The oracle that knows only what the report says (see the module comment). */
export function reportOracle(): FixOracle {
  return {
    basis: 'report',
    affectedAt(probes) {
      return probes.map(({ group, version }) => {
        const scheme = versionScheme(group.ecosystem);
        const out = new Set<string>();
        for (const f of group.findings) {
          const fixes = f.fixedVersions.filter((v) => scheme?.isValid(v));
          const fixed =
            scheme !== undefined &&
            scheme.isValid(version) &&
            fixes.length > 0 &&
            (fixes.some((v) => scheme.compare(v, version) === 0) ||
              fixes.every((v) => scheme.compare(version, v) >= 0));
          if (!fixed) for (const i of idsOf(f)) out.add(i);
        }
        return out;
      });
    },
  };
}

/** The candidate versions of a group, ascending in its ecosystem's order; undefined without one. */
function candidatesOf(g: PlanGroup): string[] | undefined {
  const scheme = versionScheme(g.ecosystem);
  const all = [...new Set(g.findings.flatMap((f) => f.fixedVersions))];
  if (!scheme) return all.length === 1 ? all : undefined;
  const installedValid = scheme.isValid(g.version);
  return all
    .filter((v) => scheme.isValid(v) && (!installedValid || scheme.compare(v, g.version) > 0))
    .sort((a, b) => scheme.compare(a, b));
}

interface Decided {
  group: PlanGroup;
  target: string;
  candidates: string[];
  fixed: PlanFinding[];
  remaining: PlanFinding[];
  introduces: string[];
}

/** The patch plan of a report's findings. */
export function patchPlan(input: Pick<PlanInput, 'findings' | 'layers'>, opts: PlanOptions = {}): PatchPlan {
  const open = openFindings(input.findings, opts.isOpen);
  const oracle = opts.oracle ?? reportOracle();
  const base = opts.base ?? NO_BASE;
  const groups = planGroups(open);
  const unfixable: Unfixable[] = [];
  const pending: { group: PlanGroup; candidates: string[] }[] = [];
  for (const g of groups) {
    const fixable = g.findings.filter((f) => f.fixedVersions.length > 0);
    const candidates = fixable.length ? candidatesOf(g) : [];
    if (!fixable.length || !candidates?.length) {
      unfixable.push({
        ecosystem: g.ecosystem,
        name: g.name,
        version: g.version,
        packages: [...new Set(g.packages.map((p) => p.name))],
        findings: [...new Set(g.findings.map((f) => f.id))],
        reason: !fixable.length
          ? 'no fix listed'
          : candidates
            ? 'no listed fix is above the installed version'
            : 'several fixes listed and no version ordering for this ecosystem',
        probability: round(probabilityOf(g.findings.map(exploitP))),
      });
      continue;
    }
    pending.push({ group: g, candidates });
  }
  const probes = pending.flatMap(({ group, candidates }) =>
    candidates.map((version) => ({ group, version })),
  );
  const answers = probes.length ? oracle.affectedAt(probes) : [];
  let at = 0;
  const decided: Decided[] = [];
  for (const { group, candidates } of pending) {
    const known = new Set(group.findings.flatMap(idsOf));
    const fixable = group.findings.filter((f) => f.fixedVersions.length > 0);
    let best: { version: string; left: PlanFinding[]; affected: ReadonlySet<string> } | undefined;
    for (const version of candidates) {
      const affected = answers[at++]!;
      const left = fixable.filter((f) => stillAffects(f, affected));
      // the lowest candidate that fixes them all; failing that, the one that leaves the fewest
      if (!best || left.length < best.left.length) best = { version, left, affected };
      if (!left.length) {
        at += candidates.length - candidates.indexOf(version) - 1;
        break;
      }
    }
    const b = best!;
    const remaining = group.findings.filter((f) => f.fixedVersions.length === 0 || b.left.includes(f));
    decided.push({
      group,
      target: b.version,
      candidates,
      fixed: group.findings.filter((f) => !remaining.includes(f)),
      remaining,
      introduces: [...b.affected].filter((i) => !known.has(i)).sort(),
    });
  }

  // greedy order: each step the one that lowers what is left the most
  const certainAll = open.filter((f) => exploitP(f) >= 1).length;
  let certainLeft = certainAll;
  let logSafe = 0;
  for (const f of open) if (exploitP(f) < 1) logSafe += Math.log1p(-exploitP(f));
  const probability = probabilityOf(open.map(exploitP));
  const facts = decided.map((d) => {
    let certain = 0;
    let log = 0;
    for (const f of d.fixed) {
      const p = exploitP(f);
      if (p >= 1) certain++;
      else log += Math.log1p(-p);
    }
    const score = d.fixed.reduce((s, f) => s + f.risk, 0);
    const removed = probability - (certainAll - certain > 0 ? 1 : 1 - Math.exp(logSafe - log));
    return { d, certain, log, score, removed };
  });
  const left = [...facts];
  const steps: PlanStep[] = [];
  while (left.length) {
    const pAfter = (x: (typeof facts)[number]) =>
      certainLeft - x.certain > 0 ? 1 : 1 - Math.exp(logSafe - x.log);
    let bi = 0;
    for (let i = 1; i < left.length; i++) {
      const a = left[i]!;
      const b = left[bi]!;
      const da = pAfter(a);
      const db = pAfter(b);
      if (
        da < db - 1e-12 ||
        (Math.abs(da - db) <= 1e-12 &&
          (a.score > b.score || (a.score === b.score && cmpStr(a.d.group.key, b.d.group.key) < 0)))
      )
        bi = i;
    }
    const x = left.splice(bi, 1)[0]!;
    const after = pAfter(x);
    certainLeft -= x.certain;
    logSafe -= x.log;
    const g = x.d.group;
    const targets = [...new Set(g.packages.map((p) => p.name))].map((name) => ({
      name,
      version: x.d.target,
    }));
    const origins = [
      ...new Set(g.findings.map((f) => layerOrigin(input.layers, base, f.layerDiffId).origin)),
    ].sort();
    steps.push({
      ecosystem: g.ecosystem,
      name: g.name,
      installed: g.version,
      target: x.d.target,
      packages: g.packages.map((p) => ({
        name: p.name,
        version: p.version,
        location: p.location,
        purl: p.purl,
      })),
      command: upgradeCommand(g.ecosystem, targets),
      commandKind: commandKind(g.ecosystem),
      fixes: [...new Set(x.d.fixed.map((f) => f.id))],
      remaining: [...new Set(x.d.remaining.map((f) => f.id))],
      introduces: x.d.introduces,
      riskRemoved: round(Math.max(0, x.removed)),
      riskAfter: round(Math.max(0, after)),
      scoreRemoved: Math.round(x.score * 10) / 10,
      origins,
      candidates: x.d.candidates,
    });
  }
  unfixable.sort((a, b) => b.probability - a.probability || cmpStr(a.name, b.name));
  const last = steps.at(-1);
  return {
    basis: oracle.basis,
    probability: round(probability),
    probabilityAfter: last ? last.riskAfter : round(probability),
    steps,
    unfixable,
  };
}
