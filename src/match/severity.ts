import cvssCalculator from 'ae-cvss-calculator';
import type { Severity } from '../core/types.js';
import { severityRank } from '../core/types.js';
import type { OsvRecord, OsvSeverity } from '../vulndb/types.js';
import type { CvssScore, SeverityOrigin, SeveritySource } from './types.js';

// ae-cvss-calculator is CommonJS; its classes hang off the default export under Node's ESM.
const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = cvssCalculator;

// A scan rates the same vectors for many advisories (and every related record of a CVE): the
// calculator parses with several regular expressions per call, so answers are kept, bounded.
const scoreMemo = new Map<string, CvssScore | null>();
const SCORE_MEMO_LIMIT = 50_000;

/**
 * Scores a CVSS vector; undefined when the vector is not a complete, valid base vector. The result
 * may be shared between callers: treat it as read-only.
 */
export function scoreVector(type: string, vector: string): CvssScore | undefined {
  const key = `${type}\0${vector}`;
  const hit = scoreMemo.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const score = computeScore(type, vector);
  if (scoreMemo.size >= SCORE_MEMO_LIMIT) scoreMemo.clear();
  scoreMemo.set(key, score ?? null);
  return score;
}

function computeScore(type: string, vector: string): CvssScore | undefined {
  const v = vector.trim();
  try {
    if (type === 'CVSS_V4' && v.startsWith('CVSS:4.0/')) return scored('4.0', v, new Cvss4P0(v));
    if (type === 'CVSS_V3' && v.startsWith('CVSS:3.1/')) return scored('3.1', v, new Cvss3P1(v));
    if (type === 'CVSS_V3' && v.startsWith('CVSS:3.0/')) return scored('3.0', v, new Cvss3P0(v));
    if (type === 'CVSS_V2' && !v.startsWith('CVSS:')) return scored('2.0', v, new Cvss2(v));
  } catch {
    return undefined;
  }
  return undefined;
}

interface Scorable {
  isBaseFullyDefined(): boolean;
  calculateScores(): { base?: number };
}

function scored(version: CvssScore['version'], vector: string, calc: Scorable): CvssScore | undefined {
  if (!calc.isBaseFullyDefined()) return undefined;
  const score = calc.calculateScores().base;
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) return undefined;
  return { version, vector, score };
}

/** NVD bands: v3/v4 9.0 critical, 7.0 high, 4.0 medium, else low (0.0 "none" reads as low); v2 has no critical. */
export function severityFromScore(s: CvssScore): Severity {
  if (s.version === '2.0') return s.score >= 7 ? 'HIGH' : s.score >= 4 ? 'MEDIUM' : 'LOW';
  if (s.score >= 9) return 'CRITICAL';
  if (s.score >= 7) return 'HIGH';
  if (s.score >= 4) return 'MEDIUM';
  return 'LOW';
}

const VERSION_PREFERENCE: Record<CvssScore['version'], number> = { '4.0': 4, '3.1': 3, '3.0': 2, '2.0': 1 };
const ORIGIN: Record<CvssScore['version'], SeverityOrigin> = {
  '4.0': 'CVSS_V4',
  '3.1': 'CVSS_V3.1',
  '3.0': 'CVSS_V3.0',
  '2.0': 'CVSS_V2',
};

/** Feed labels (GHSA `MODERATE`, Ubuntu priorities, ...) onto bulwark severities. */
export function severityFromLabel(label: unknown): Severity | undefined {
  if (typeof label !== 'string') return undefined;
  switch (label.trim().toUpperCase()) {
    case 'CRITICAL':
      return 'CRITICAL';
    case 'HIGH':
    case 'IMPORTANT':
      return 'HIGH';
    case 'MODERATE':
    case 'MEDIUM':
      return 'MEDIUM';
    case 'LOW':
    case 'NEGLIGIBLE':
      return 'LOW';
    default:
      return undefined;
  }
}

export interface SeverityVerdict {
  severity: Severity;
  source?: SeveritySource;
  cvss?: CvssScore;
}

/**
 * Severity of a merged finding. A computed CVSS score wins over feed labels; among vectors the
 * newest CVSS version wins (v4, then 3.1, 3.0, 2), then the highest score, then the lowest record id.
 * Without any valid vector the highest feed label decides (`database_specific.severity`, Ubuntu
 * priority); otherwise UNKNOWN.
 */
export function decideSeverity(records: readonly OsvRecord[]): SeverityVerdict {
  const sorted = [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let best: { score: CvssScore; record: string } | undefined;
  let label: { severity: Severity; record: string; type: SeverityOrigin } | undefined;

  const considerLabel = (severity: Severity | undefined, record: string, type: SeverityOrigin) => {
    if (!severity) return;
    if (!label || severityRank(severity) > severityRank(label.severity)) label = { severity, record, type };
  };
  const considerSeverities = (list: readonly OsvSeverity[] | undefined, record: string) => {
    for (const s of list ?? []) {
      if (s.type === 'Ubuntu') {
        considerLabel(severityFromLabel(s.score), record, 'Ubuntu');
        continue;
      }
      const score = scoreVector(s.type, s.score);
      if (!score) continue;
      if (
        !best ||
        VERSION_PREFERENCE[score.version] > VERSION_PREFERENCE[best.score.version] ||
        (score.version === best.score.version && score.score > best.score.score)
      ) {
        best = { score, record };
      }
    }
  };

  for (const r of sorted) {
    considerSeverities(r.severity, r.id);
    considerLabel(severityFromLabel(r.database_specific?.['severity']), r.id, 'database_specific');
    for (const a of r.affected ?? []) {
      considerSeverities(a.severity, r.id);
      considerLabel(severityFromLabel(a.database_specific?.['severity']), r.id, 'database_specific');
      considerLabel(severityFromLabel(a.ecosystem_specific?.['severity']), r.id, 'database_specific');
    }
  }
  if (best) {
    return {
      severity: severityFromScore(best.score),
      source: { record: best.record, type: ORIGIN[best.score.version] },
      cvss: best.score,
    };
  }
  if (label) return { severity: label.severity, source: { record: label.record, type: label.type } };
  return { severity: 'UNKNOWN' };
}
