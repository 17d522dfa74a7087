import Table from 'cli-table3';
import {
  closingLines,
  cleanText,
  fitColumns,
  lineColumn,
  ratedCounts,
  terminalStyle,
} from '../report/terminal.js';
import { reportEnvelope } from '../core/report-envelope.js';
import { countBySeverity } from '../core/types.js';
import { esc, htmlDocument, severityCell, severitySummary, sortableTable } from '../report/html.js';
import { toSarif } from '../report/sarif.js';
import type { CheckResult } from './engine.js';
import type { CheckFinding, RuleMeta } from './types.js';

/** Output formats of `bulwark config`: pure functions of a CheckResult. */

export interface RenderOptions {
  toolVersion: string;
  color?: boolean;
  /** terminal width for tables (default 120); ids are never cut, messages wrap */
  width?: number;
}

/** The leading fields every rule finding has in JSON (configuration checks and secrets alike). */
export function findingJsonHead(
  f: Pick<
    CheckFinding,
    'ruleId' | 'aliases' | 'severity' | 'title' | 'file' | 'line' | 'column' | 'endLine' | 'endColumn'
  >,
) {
  return {
    ruleId: f.ruleId,
    aliases: f.aliases,
    severity: f.severity,
    title: f.title,
    file: f.file,
    line: f.line,
    column: f.column,
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
  };
}

function jsonFinding(f: CheckFinding) {
  return {
    ...findingJsonHead(f),
    message: f.message,
    remediation: f.remediation,
    references: f.references,
    target: f.target,
    ...(f.object ? { object: f.object } : {}),
    ...(f.field ? { field: f.field } : {}),
  };
}

export function renderCheckJson(r: CheckResult, opts: RenderOptions): string {
  const doc = {
    ...reportEnvelope('checks', opts.toolVersion),
    summary: {
      files: r.files.length,
      findings: r.findings.length,
      bySeverity: countBySeverity(r.findings),
      suppressed: r.suppressed.length,
      errors: r.errors.length,
    },
    files: r.files,
    findings: r.findings.map(jsonFinding),
    suppressed: r.suppressed.map((s) => ({
      ...jsonFinding(s),
      suppressedBy: s.suppressedBy,
      reason: s.reason,
    })),
    errors: r.errors,
    warnings: r.warnings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderCheckTable(r: CheckResult, opts: RenderOptions): string {
  const { c, paint } = terminalStyle(opts.color);
  const lines: string[] = [];
  const byFile = new Map<string, CheckFinding[]>();
  for (const f of r.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
  for (const { file, family } of r.files) {
    const list = byFile.get(file) ?? [];
    const n = countBySeverity(list);
    lines.push(c.bold(`${cleanText(file)} (${family})`));
    lines.push(`Findings: ${list.length} (${ratedCounts(n)})`);
    if (list.length) {
      const rows = list.map((f) => [
        lineColumn(f),
        paint[f.severity](f.severity),
        f.ruleId,
        f.aliases.slice(0, 3).join('\n'),
        cleanText(f.message),
      ]);
      const head = ['Line', 'Severity', 'Rule', 'Aliases', 'Message'];
      const t = new Table({
        head,
        style: { head: [], border: [] },
        wordWrap: true,
        colWidths: fitColumns([head, ...rows], ['fit', 10, 'fit', 'fit', 'rest'], opts.width),
      });
      t.push(...rows);
      lines.push(t.toString());
    }
    lines.push('');
  }
  lines.push(...closingLines(r, c));
  if (!r.files.length && !r.errors.length)
    lines.push('No Dockerfile, compose file or Kubernetes manifest found.');
  return `${lines.join('\n').trimEnd()}\n`;
}

export function renderCheckSarif(r: CheckResult, rules: readonly RuleMeta[], opts: RenderOptions): string {
  // suppressed findings stay in the log, marked suppressed with their reason (code scanning shows
  // them as dismissed rather than forgetting them)
  const all: (CheckFinding & { reason?: string })[] = [...r.findings, ...r.suppressed];
  const used = new Set(all.map((f) => f.ruleId));
  const log = toSarif({
    toolName: 'bulwark',
    toolVersion: opts.toolVersion,
    informationUri: 'https://github.com/bulwark',
    uriBaseId: 'SRCROOT',
    rules: rules
      .filter((m) => used.has(m.id))
      .map((m) => ({
        id: m.id,
        shortDescription: m.title,
        fullDescription: m.remediation,
        severity: m.severity,
        help: `${m.remediation}\n\nAliases: ${m.aliases.join(', ') || 'none'}\n${m.references.join('\n')}`,
        ...(m.references[0] ? { helpUri: m.references[0] } : {}),
        tags: ['security', m.category, ...m.aliases],
      })),
    results: all.map((f) => ({
      ruleId: f.ruleId,
      message: f.message,
      file: f.file,
      line: f.line,
      column: f.column,
      ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
      ...(f.endColumn !== undefined ? { endColumn: f.endColumn } : {}),
      fingerprint: `${f.ruleId}:${f.file}:${f.object ?? ''}:${f.field ?? f.line}`,
      properties: { aliases: f.aliases, severity: f.severity },
      ...(f.reason !== undefined ? { suppression: { justification: f.reason } } : {}),
    })),
  });
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * `--format html` for rule findings: one self-contained page (the scan report's shell: escaped
 * text, a CSP pinning its own script) with a severity chart and one sortable, filterable table.
 */
export function renderCheckHtml(r: CheckResult, opts: RenderOptions): string {
  const rows = r.findings
    .map(
      (f) => `<tr data-severity="${f.severity}">
${severityCell(f.severity)}
<td><code>${esc(f.ruleId)}</code><div class="dim">${esc(f.aliases.join(' '))}</div></td>
<td>${esc(f.file)}</td>
<td data-sort="${f.line}">${esc(lineColumn(f))}</td>
<td>${esc([f.object, f.field].filter(Boolean).join(' '))}</td>
<td>${esc(f.message)}<div class="dim">${esc(f.remediation)}</div></td></tr>`,
    )
    .join('\n');
  const problems = [
    ...r.errors.map((e) => `error[${esc(e.code)}] ${esc(e.file)}: ${esc(e.message)}`),
    ...r.warnings.map((w) => `warning ${esc(w.file ?? '')}${w.line ? `:${w.line}` : ''}: ${esc(w.message)}`),
  ];
  return htmlDocument(
    'bulwark: configuration checks',
    `<h1>Configuration checks</h1>
<p class="meta">${r.files.length} files checked by bulwark ${esc(opts.toolVersion)}</p>
${severitySummary(countBySeverity(r.findings), [
  `${r.findings.length} findings in ${new Set(r.findings.map((f) => f.file)).size} of ${r.files.length} files`,
  ...(r.suppressed.length ? [`${r.suppressed.length} suppressed (inline or ignore file)`] : []),
])}
<section aria-labelledby="find-h"><h2 id="find-h">Findings</h2>
${
  r.findings.length
    ? sortableTable({
        caption: `Findings (${r.findings.length})`,
        headers: ['Severity', 'Rule', 'File', 'Line', 'Object', 'Message'],
        rows,
      })
    : '<p>No findings.</p>'
}</section>
${problems.length ? `<section aria-labelledby="prob-h"><h2 id="prob-h">Errors and warnings</h2><ul>${problems.map((p) => `<li>${p}</li>`).join('')}</ul></section>` : ''}`,
  );
}
