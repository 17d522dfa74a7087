import type { Inventory } from '../core/types.js';
import type { MatchResult, PolicyResult } from '../match/index.js';
import type { DbMetadata } from '../vulndb/types.js';
import { REPORT_SCHEMA_VERSION, type ScanReport } from './types.js';

export interface BuildReportInput {
  inventory: Inventory;
  match: MatchResult;
  /** the policy outcome; without it every matched finding is reported */
  policy?: PolicyResult;
  db?: DbMetadata;
  toolVersion: string;
  createdAt: Date | string;
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Assembles a ScanReport, sorting packages so every format is deterministic. */
export function buildScanReport(input: BuildReportInput): ScanReport {
  const { inventory, match, policy } = input;
  const packages = [...inventory.packages].sort(
    (a, b) =>
      byString(a.ecosystem, b.ecosystem) ||
      byString(a.name, b.name) ||
      byString(a.version, b.version) ||
      byString(a.location, b.location),
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'bulwark', version: input.toolVersion },
    createdAt: typeof input.createdAt === 'string' ? input.createdAt : input.createdAt.toISOString(),
    target: inventory.target,
    ...(inventory.os ? { os: inventory.os } : {}),
    packages,
    findings: policy ? policy.findings : match.findings,
    suppressed: policy ? policy.suppressed : [],
    ...(policy ? { filtered: policy.filtered } : {}),
    warnings: [...inventory.warnings, ...match.warnings, ...(policy?.warnings ?? [])],
    ...(input.db ? { db: input.db } : {}),
  };
}
