import { severityRank } from '../core/types.js';
import type { SortOrder, VulnFinding } from './types.js';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Severity desc, then package (name, version, ecosystem, location), then id; `risk` puts risk first. */
export function compareFindings(a: VulnFinding, b: VulnFinding, order: SortOrder = 'severity'): number {
  if (order === 'risk' && a.risk !== b.risk) return b.risk - a.risk;
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    cmp(a.package.name, b.package.name) ||
    cmp(a.package.version, b.package.version) ||
    cmp(a.package.ecosystem, b.package.ecosystem) ||
    cmp(a.package.location, b.package.location) ||
    cmp(a.id, b.id)
  );
}

export function sortFindings(findings: VulnFinding[], order: SortOrder = 'severity'): VulnFinding[] {
  return order === 'severity'
    ? findings.sort(bySeverity)
    : findings.sort((a, b) => compareFindings(a, b, order));
}

const bySeverity = (a: VulnFinding, b: VulnFinding): number => compareFindings(a, b);
