import Table from 'cli-table3';
import {
  closingLines,
  cleanText,
  fitColumns,
  lineColumn,
  ratedCounts,
  terminalStyle,
} from '../report/terminal.js';
import { findingJsonHead, renderCheckSarif } from '../checks/render.js';
import type { CheckResult } from '../checks/engine.js';
import type { RuleMeta } from '../checks/types.js';
import { reportEnvelope } from '../core/report-envelope.js';
import { countBySeverity } from '../core/types.js';
import type { SecretFinding, SecretPathResult } from './walk.js';

/** Output formats of `bulwark secrets`. Every finding carries only the redacted match. */

export interface SecretRenderOptions {
  toolVersion: string;
  color?: boolean;
}

function jsonFinding(f: SecretFinding) {
  return {
    ...findingJsonHead(f),
    match: f.match,
    message: f.message,
    remediation: f.remediation,
    references: f.references,
  };
}

export function renderSecretsJson(r: SecretPathResult, opts: SecretRenderOptions): string {
  const doc = {
    ...reportEnvelope('secrets', opts.toolVersion),
    summary: {
      filesScanned: r.scanned,
      bytesScanned: r.bytes,
      filesSkipped: r.skipped.length,
      findings: r.findings.length,
      bySeverity: countBySeverity(r.findings),
      suppressed: r.suppressed.length,
      errors: r.errors.length,
    },
    findings: r.findings.map(jsonFinding),
    suppressed: r.suppressed.map((s) => ({
      ...jsonFinding(s),
      suppressedBy: s.suppressedBy,
      reason: s.reason,
    })),
    skipped: r.skipped,
    errors: r.errors,
    warnings: r.warnings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderSecretsTable(r: SecretPathResult, opts: SecretRenderOptions): string {
  const { c, paint } = terminalStyle(opts.color);
  const lines: string[] = [];
  const byFile = new Map<string, SecretFinding[]>();
  for (const f of r.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  for (const [file, list] of byFile) {
    const n = countBySeverity(list);
    lines.push(c.bold(cleanText(file)));
    lines.push(`Secrets: ${list.length} (${ratedCounts(n)})`);
    const head = ['Line', 'Severity', 'Rule', 'Match'];
    const rows = list.map((f) => [
      lineColumn(f),
      paint[f.severity](f.severity),
      f.ruleId,
      cleanText(f.match),
    ]);
    const t = new Table({
      head,
      style: { head: [], border: [] },
      wordWrap: true,
      colWidths: fitColumns([head, ...rows], ['fit', 10, 'fit', 'rest']),
    });
    t.push(...rows);
    lines.push(t.toString(), '');
  }
  const total = countBySeverity(r.findings);
  lines.push(
    `Scanned ${r.scanned} files (${r.bytes} bytes), skipped ${r.skipped.length} (binary or too large). ` +
      `Secrets: ${r.findings.length} (${ratedCounts(total)})`,
  );
  lines.push(...closingLines(r, c));
  return `${lines.join('\n').trimEnd()}\n`;
}

/** SARIF 2.1.0 through the rule engine's writer (messages already hold only redacted matches). */
export function renderSecretsSarif(
  r: SecretPathResult,
  rules: readonly RuleMeta[],
  opts: SecretRenderOptions,
): string {
  const files = [...new Set([...r.findings, ...r.suppressed].map((f) => f.file))]
    .sort()
    .map((file) => ({ file, family: 'secrets' }));
  const asCheck: CheckResult = {
    files,
    findings: r.findings,
    suppressed: r.suppressed,
    errors: r.errors,
    warnings: r.warnings,
  };
  return renderCheckSarif(asCheck, rules, opts);
}
