import type { Severity } from '../core/types.js';
import type { EpssEntry, KevEntry } from '../vulndb/types.js';
import type { CvssScore } from './types.js';

/** Score assumed for a severity known only as a label (the middle of its NVD band). */
const BAND_SCORE: Record<Severity, number> = { CRITICAL: 9.5, HIGH: 8, MEDIUM: 5.5, LOW: 2, UNKNOWN: 5 };

/**
 * Risk, 0..100, for ordering work: 55 x (CVSS base score / 10, or the band's middle when only a
 * label is known) + 25 x EPSS probability + 15 when the CVE is in CISA KEV + 5 when a fix exists.
 * Exploitation evidence (EPSS, KEV) can lift a HIGH above a CRITICAL nobody exploits; a fix adds a
 * little because fixable findings are the ones a team can act on now.
 */
export function riskScore(input: {
  severity: Severity;
  cvss?: CvssScore | undefined;
  epss?: EpssEntry | undefined;
  kev?: KevEntry | undefined;
  fixAvailable: boolean;
}): number {
  const base = input.cvss?.score ?? BAND_SCORE[input.severity];
  const epss = Math.min(1, Math.max(0, input.epss?.epss ?? 0));
  const raw = 55 * (base / 10) + 25 * epss + (input.kev ? 15 : 0) + (input.fixAvailable ? 5 : 0);
  return Math.round(raw * 10) / 10;
}

/** One finding's chance of exploitation: 1 for a CISA KEV entry, else its EPSS score (0 when unscored), clamped to 0..1. */
export function exploitChance(epss: number | null | undefined, kev: boolean): number {
  return kev ? 1 : Math.min(1, Math.max(0, epss ?? 0));
}

/** The chance that at least one is exploited, 1 − Π(1 − pᵢ): what the report, policy, netpol and plans call risk. */
export function probabilityOf(ps: Iterable<number>): number {
  let safe = 1;
  for (const p of ps) safe *= 1 - p;
  return 1 - safe;
}
