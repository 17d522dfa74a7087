/**
 * Risk, explained: the probability that at least one open finding is exploited,
 * P = 1 − Π(1 − pᵢ), pᵢ the finding's EPSS score and 1 for a CISA KEV entry, findings counted once
 * per vulnerability and package (a package found at two locations is one package). The
 * contributors are ordered by how much each removes: removing finding i leaves
 * 1 − (1 − P)/(1 − pᵢ), so a larger pᵢ always removes more; `riskAfter` is what is left once it
 * and every contributor before it are gone, which stays meaningful when two KEV entries each
 * remove nothing alone.
 */
import { exploitChance, probabilityOf } from '../match/risk.js';
import { layerOrigin, NO_BASE } from './layers.js';
import type { BaseEvidence, IsOpen, LayerOrigin, PlanFinding, PlanLayer } from './types.js';

/** pᵢ of one finding. */
export function exploitP(f: Pick<PlanFinding, 'epss' | 'kev'>): number {
  return exploitChance(f.epss, f.kev);
}

/** 1 − Π(1 − pᵢ), the one formula (src/match/risk.ts). */
export { probabilityOf };

/** What identifies a finding for the risk: vulnerability, ecosystem, package and version. */
export function findingKey(f: PlanFinding): string {
  return `${f.id}\u0000${f.package.ecosystem}\u0000${f.package.name}\u0000${f.package.version}`;
}

/** Open findings, one per vulnerability and package (the first as the report orders them). */
export function openFindings(findings: readonly PlanFinding[], isOpen?: IsOpen): PlanFinding[] {
  const seen = new Set<string>();
  const out: PlanFinding[] = [];
  for (const f of findings) {
    if (isOpen && !isOpen(f)) continue;
    const k = findingKey(f);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(f);
  }
  return out;
}

export interface Contributor {
  id: string;
  aliases: string[];
  package: { name: string; version: string; ecosystem: string; purl: string; location: string };
  severity: string;
  cvss: number | null;
  epss: number | null;
  kev: boolean;
  /** pᵢ */
  p: number;
  /** P minus P without this finding alone */
  removes: number;
  /** P left once this contributor and every one before it are gone */
  riskAfter: number;
  fixAvailable: boolean;
  fixedVersion: string | null;
  layer: { origin: LayerOrigin; index: number | null; diffId: string | null; createdBy: string | null };
}

export interface ImageRisk {
  /** P(at least one open finding exploited) */
  probability: number;
  /** findings counted (open, deduplicated) */
  findings: number;
  /** findings left out as not open (triage) */
  excluded: number;
  kev: number;
  withEpss: number;
  /** the risk of the base image's layers alone, and of the image's own */
  byOrigin: Record<LayerOrigin, { findings: number; probability: number }>;
  base: BaseEvidence;
  contributors: Contributor[];
}

export interface RiskOptions {
  isOpen?: IsOpen;
  layers?: readonly PlanLayer[];
  base?: BaseEvidence;
  /** contributors returned (default 10) */
  top?: number;
}

const byContribution = (a: { f: PlanFinding; p: number }, b: { f: PlanFinding; p: number }) =>
  b.p - a.p ||
  (b.f.cvss ?? -1) - (a.f.cvss ?? -1) ||
  b.f.risk - a.f.risk ||
  (a.f.id < b.f.id ? -1 : a.f.id > b.f.id ? 1 : 0) ||
  (a.f.package.name < b.f.package.name ? -1 : a.f.package.name > b.f.package.name ? 1 : 0);

/** The image's risk from its findings, with the findings that contribute most. */
export function imageRisk(findings: readonly PlanFinding[], opts: RiskOptions = {}): ImageRisk {
  const open = openFindings(findings, opts.isOpen);
  const excluded = opts.isOpen ? openFindings(findings).length - open.length : 0;
  const layers = opts.layers ?? [];
  const base = opts.base ?? NO_BASE;
  const scored = open.map((f) => ({ f, p: exploitP(f) })).sort(byContribution);
  const probability = probabilityOf(scored.map((s) => s.p));
  const byOrigin: ImageRisk['byOrigin'] = {
    base: { findings: 0, probability: 0 },
    own: { findings: 0, probability: 0 },
    unknown: { findings: 0, probability: 0 },
  };
  const safeBy: Record<LayerOrigin, number> = { base: 1, own: 1, unknown: 1 };
  // p = 1 (a KEV entry) makes every product 0: count those apart, multiply the others
  const certain = scored.filter((s) => s.p >= 1).length;
  let uncertainSafe = 1;
  for (const s of scored) if (s.p < 1) uncertainSafe *= 1 - s.p;
  const safeWithout = (s: { p: number }) =>
    s.p >= 1 ? (certain > 1 ? 0 : uncertainSafe) : certain > 0 ? 0 : uncertainSafe / (1 - s.p);
  // riskAfter from suffix products: exact, where dividing factors out one by one drifts
  const suffixSafe = new Array<number>(scored.length + 1).fill(1);
  for (let i = scored.length - 1; i >= 0; i--) suffixSafe[i] = suffixSafe[i + 1]! * (1 - scored[i]!.p);
  const top = opts.top ?? 10;
  const contributors: Contributor[] = [];
  for (const [i, s] of scored.entries()) {
    const { origin, layer } = layerOrigin(layers, base, s.f.layerDiffId);
    byOrigin[origin].findings++;
    safeBy[origin] *= 1 - s.p;
    if (contributors.length >= top) continue;
    contributors.push({
      id: s.f.id,
      aliases: s.f.aliases,
      package: {
        name: s.f.package.name,
        version: s.f.package.version,
        ecosystem: s.f.package.ecosystem,
        purl: s.f.package.purl,
        location: s.f.package.location,
      },
      severity: s.f.severity,
      cvss: s.f.cvss,
      epss: s.f.epss,
      kev: s.f.kev,
      p: s.p,
      removes: round(probability - (1 - safeWithout(s))),
      riskAfter: round(1 - suffixSafe[i + 1]!),
      fixAvailable: s.f.fixedVersions.length > 0,
      fixedVersion: s.f.fixedVersions[0] ?? null,
      layer: {
        origin,
        index: layer?.index ?? null,
        diffId: s.f.layerDiffId,
        createdBy: layer?.createdBy ?? null,
      },
    });
  }
  for (const o of ['base', 'own', 'unknown'] as const) byOrigin[o].probability = round(1 - safeBy[o]);
  return {
    probability: round(probability),
    findings: open.length,
    excluded,
    kev: open.filter((f) => f.kev).length,
    withEpss: open.filter((f) => f.epss !== null).length,
    byOrigin,
    base,
    contributors,
  };
}

/** Probabilities are reported to 6 decimals: floating noise stays out of golden output. */
export function round(p: number): number {
  return Math.round(p * 1e6) / 1e6;
}
