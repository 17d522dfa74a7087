/**
 * The base-image bump: among stored images of the base's repository (other tags, or the same tag
 * rebuilt), the one whose findings, put in place of the image's base-layer findings, leave the
 * lowest exploit probability. Compared by stored findings (the candidates' own scans), so nothing
 * is pulled or rebuilt; what the image's own layers bring stays as it is.
 */
import { layerOrigin } from './layers.js';
import { exploitP, findingKey, openFindings, probabilityOf, round } from './risk.js';
import type { BaseEvidence, IsOpen, PlanFinding, PlanLayer } from './types.js';

export interface BumpCandidate {
  /** `repository:tag` */
  name: string;
  imageId: number;
  scanId: number;
  digest: string | null;
  scannedAt: string;
  findings: readonly PlanFinding[];
}

export interface BaseBump {
  /** the base as decided, with the exploit probability of its layers' findings in this image */
  current: {
    name: string | null;
    digest: string | null;
    method: BaseEvidence['method'];
    probability: number;
  };
  /** the image's probability as it is */
  probability: number;
  candidates: {
    name: string;
    imageId: number;
    scanId: number;
    digest: string | null;
    scannedAt: string;
    /** the image's probability on this base */
    probabilityAfter: number;
    riskRemoved: number;
    /** base findings gone / new with this base */
    findingsRemoved: number;
    findingsAdded: number;
  }[];
  /** the candidate that removes the most risk, when one removes any */
  best: string | null;
}

const baseKey = (f: PlanFinding) => `${f.id}\u0000${f.package.ecosystem}\u0000${f.package.name}`;

export function baseBump(
  image: { findings: readonly PlanFinding[]; layers: readonly PlanLayer[] },
  base: BaseEvidence,
  candidates: readonly BumpCandidate[],
  isOpen?: IsOpen,
): BaseBump | null {
  if (base.method === 'none' || base.baseLayers === 0) return null;
  const open = openFindings(image.findings, isOpen);
  const inBase = open.filter((f) => layerOrigin(image.layers, base, f.layerDiffId).origin === 'base');
  const rest = open.filter((f) => !inBase.includes(f));
  const probability = probabilityOf(open.map(exploitP));
  const baseIds = new Set(inBase.map(baseKey));
  const ranked = candidates
    .map((c) => {
      const theirs = openFindings(c.findings, isOpen);
      const seen = new Set(rest.map(findingKey));
      const all = [...rest, ...theirs.filter((f) => !seen.has(findingKey(f)))];
      const after = probabilityOf(all.map(exploitP));
      const theirIds = new Set(theirs.map(baseKey));
      return {
        name: c.name,
        imageId: c.imageId,
        scanId: c.scanId,
        digest: c.digest,
        scannedAt: c.scannedAt,
        probabilityAfter: round(after),
        riskRemoved: round(probability - after),
        findingsRemoved: [...baseIds].filter((k) => !theirIds.has(k)).length,
        findingsAdded: [...theirIds].filter((k) => !baseIds.has(k)).length,
      };
    })
    .sort(
      (a, b) =>
        b.riskRemoved - a.riskRemoved ||
        b.findingsRemoved - b.findingsAdded - (a.findingsRemoved - a.findingsAdded) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  const top = ranked[0];
  return {
    current: {
      name: base.baseName,
      digest: base.baseDigest,
      method: base.method,
      probability: round(probabilityOf(inBase.map(exploitP))),
    },
    probability: round(probability),
    candidates: ranked,
    best:
      top && (top.riskRemoved > 0 || (top.riskRemoved === 0 && top.findingsRemoved > top.findingsAdded))
        ? top.name
        : null,
  };
}
