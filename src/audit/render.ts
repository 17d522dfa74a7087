/**
 * What `bulwark audit --follow` writes as findings arrive: one JSON object a line (the same fields
 * as a finding of the `checks` JSON report) or one text line. Whole reports (table, json, sarif)
 * are the rule engine's renderers.
 */
import type { CheckFinding } from '../checks/types.js';

/** A finding as in the `findings` array of the `checks` JSON report (docs/json-report.md). */
export function findingJsonLine(f: CheckFinding): string {
  return JSON.stringify({
    ruleId: f.ruleId,
    aliases: f.aliases,
    severity: f.severity,
    title: f.title,
    file: f.file,
    line: f.line,
    column: f.column,
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
    message: f.message,
    remediation: f.remediation,
    references: f.references,
    target: f.target,
    ...(f.object ? { object: f.object } : {}),
    ...(f.field ? { field: f.field } : {}),
  });
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `audit.log:12  HIGH  audit/secret-access  alice read secret payments/db`; control characters from the log are shown escaped. */
export function findingTextLine(f: CheckFinding): string {
  const clean = (s: string) =>
    s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `${clean(f.file)}:${f.line}  ${f.severity.padEnd(8)}  ${f.ruleId}  ${clean(f.message)}`;
}
