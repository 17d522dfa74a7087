import type { CheckFinding, SuppressedCheckFinding } from '../checks/index.js';
import type { InventoryWarning, LayerInfo, OsInfo, Package, Severity, TargetInfo } from '../core/types.js';
import type { SuppressedFinding, VulnFinding } from '../match/index.js';
import type { DbMetadata } from '../vulndb/types.js';
import { JSON_SCHEMA_VERSION } from '../core/report-envelope.js';

/** Version of the JSON report layout: the family's (docs/json-report.md, src/core/report-envelope.ts). */
export const REPORT_SCHEMA_VERSION = JSON_SCHEMA_VERSION;

export interface ReportWarning {
  code: string;
  message: string;
  input?: string;
}

/**
 * Everything a scan produced for one target. Every output format is a pure function of this, so
 * the same scan renders identically as table, JSON, SARIF or CycloneDX.
 */
export interface ScanReport {
  schemaVersion: string;
  tool: { name: string; version: string };
  /** when the scan ran (ISO 8601); injected so golden files stay stable */
  createdAt: string;
  target: TargetInfo;
  os?: OsInfo;
  packages: Package[];
  findings: VulnFinding[];
  suppressed: SuppressedFinding[];
  /** findings dropped by --severity and --ignore-unfixed */
  filtered?: { severity: number; unfixed: number };
  warnings: (ReportWarning | InventoryWarning)[];
  /** the vulnerability database used, when one was */
  db?: DbMetadata;
  /** what the scan looked for (`--scanners`), when the caller said; absent means vulnerabilities */
  scanners?: string[];
  /** image configuration findings (`--scanners misconfig`), after --severity and the ignore file */
  misconfigurations?: CheckFinding[];
  suppressedMisconfigurations?: SuppressedCheckFinding[];
  /** secrets found in files (`--scanners secret`), redacted, after --severity and the ignore file */
  secrets?: SecretFinding[];
  suppressedSecrets?: (SecretFinding & { reason: string })[];
}

/** A secret found in a file of the target; `match` is redacted by the analyzer that found it. */
export interface SecretFinding {
  ruleId: string;
  title: string;
  severity: Severity;
  /** path inside the image or folder */
  file: string;
  line: number;
  column: number;
  match: string;
  layer?: LayerInfo;
}
