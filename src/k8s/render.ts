/** Output formats of `bulwark k8s`, per namespace: pure functions of a ClusterCheckResult. */
import Table from 'cli-table3';
import type { CheckFinding, RuleMeta } from '../checks/index.js';
import { findingJsonHead } from '../checks/render.js';
import { reportEnvelope } from '../core/report-envelope.js';
import { countBySeverity, SEVERITIES, type Severity } from '../core/types.js';
import type { PolicyDecision } from '../policy/index.js';
import { POLICY_RULE_INFO } from '../policy/index.js';
import type { PolicyRuleId } from '../policy/index.js';
import { esc, htmlDocument, severityCell, severitySummary, sortableTable } from '../report/html.js';
import { toSarif } from '../report/sarif.js';
import { cleanText, fitColumns, ratedCounts, terminalStyle } from '../report/terminal.js';
import type { ClusterCheckResult, ImageResult, NamespaceResult } from './cluster.js';

export const K8S_FORMATS = ['table', 'json', 'sarif', 'html'] as const;
export type K8sFormat = (typeof K8S_FORMATS)[number];

export interface K8sRenderOptions {
  toolVersion: string;
  color?: boolean;
  width?: number;
  /** rule metadata (kubernetes and netpol families), for SARIF */
  rules?: readonly RuleMeta[];
}

const denied = (n: NamespaceResult) => n.decisions.filter((d) => !d.admit).length;
const verdict = (d: PolicyDecision) => (d.allowed ? 'allowed' : d.admit ? 'audit' : 'denied');

function vulnText(i: ImageResult): string {
  if (i.error) return `not scanned: ${i.error.code}`;
  if (!i.vulnerabilities) return 'not scanned';
  const v = i.vulnerabilities;
  const total = SEVERITIES.reduce((n, s) => n + v[s], 0);
  return total
    ? SEVERITIES.filter((s) => v[s])
        .map((s) => `${s} ${v[s]}`)
        .join(', ')
    : 'none';
}

/** Counts for the whole run, also what decides the exit code. */
export function k8sSummary(r: ClusterCheckResult) {
  const ok = r.namespaces.filter((n) => !n.error);
  return {
    namespaces: r.namespaces.length,
    checked: ok.length,
    degraded: r.namespaces.length - ok.length,
    workloads: ok.reduce((n, x) => n + x.workloads.length, 0),
    findings: ok.reduce((n, x) => n + x.findings.length, 0),
    netpolFindings: ok.reduce((n, x) => n + x.netpol.length, 0),
    images: r.images.length,
    imagesScanned: r.images.filter((i) => i.source !== 'none').length,
    imageErrors: r.images.filter((i) => i.error).length,
    vulnerabilities: r.images.reduce(
      (n, i) => n + (i.vulnerabilities ? SEVERITIES.reduce((m, s) => m + i.vulnerabilities![s], 0) : 0),
      0,
    ),
    denied: ok.reduce((n, x) => n + denied(x), 0),
  };
}

/** Wraps at spaces, cutting only words longer than the column (cli-table3 would drop their end). */
function wrap(text: string, width: number): string {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (let word of para.split(' ')) {
      while (word.length > width) {
        if (line) out.push(line);
        out.push(word.slice(0, width));
        word = word.slice(width);
        line = '';
      }
      if (!line) line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        out.push(line);
        line = word;
      }
    }
    out.push(line);
  }
  return out.join('\n');
}

/** A table whose last column takes the rest of the width and wraps without losing text. */
function table(head: string[], rows: string[][], spec: (number | 'fit' | 'rest')[], width?: number): string {
  const colWidths = fitColumns([head, ...rows], spec, width);
  const rest = spec.indexOf('rest');
  const t = new Table({ head, colWidths, wordWrap: true, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map((c, i) => (i === rest ? wrap(c, colWidths[i]! - 2) : c)));
  return t.toString();
}

function findingRow(f: CheckFinding, paint: Record<Severity, (s: string) => string>): string[] {
  return [
    paint[f.severity](f.severity),
    f.ruleId,
    cleanText(f.object ?? ''),
    cleanText(`${f.message}${f.field ? `\n(${f.field})` : ''}`),
  ];
}

export function renderK8sTable(r: ClusterCheckResult, opts: K8sRenderOptions): string {
  const { c, paint } = terminalStyle(opts.color);
  const s = k8sSummary(r);
  const lines: string[] = [
    c.bold(
      `Cluster ${cleanText(r.cluster.context)} (${cleanText(r.cluster.server)}): ${s.checked} of ${s.namespaces} namespace(s) checked, ${s.workloads} workload(s), ${s.images} image(s)`,
    ),
  ];
  if (r.policy)
    lines.push(
      `Policy "${cleanText(r.policy.name)}" (${r.policy.mode}): ${s.denied} workload(s) denied${r.policy.mode === 'audit' ? ' (audit mode: reported, not denied)' : ''}`,
    );
  lines.push('');
  for (const n of r.namespaces) {
    if (n.error) {
      lines.push(c.bold(`Namespace ${cleanText(n.name)}`));
      lines.push(
        c.red(
          `error[${n.error.code}] ${n.error.resource ? `${n.error.resource}: ` : ''}${cleanText(n.error.message)} (not checked)`,
        ),
        '',
      );
      continue;
    }
    lines.push(
      c.bold(
        `Namespace ${cleanText(n.name)}: ${n.workloads.length} workload(s)${n.ownedSkipped ? ` (${n.ownedSkipped} owned by them not repeated)` : ''}`,
      ),
    );
    lines.push(
      `Findings: ${n.findings.length} (${ratedCounts(countBySeverity(n.findings))}); NetworkPolicy findings: ${n.netpol.length}${r.policy ? `; policy: ${denied(n)} of ${n.decisions.length} denied` : ''}`,
    );
    const rows = [...n.findings, ...n.netpol].map((f) => findingRow(f, paint));
    if (rows.length)
      lines.push(
        table(['Severity', 'Rule', 'Object', 'Message'], rows, [10, 'fit', 'fit', 'rest'], opts.width),
      );
    const prows: string[][] = [];
    for (const d of n.decisions)
      for (const v of d.violations)
        prows.push([
          verdict(d),
          `${d.subject.kind}/${cleanText(d.subject.name)}`,
          v.rule,
          cleanText(`${v.containers?.length ? `[${v.containers.join(', ')}] ` : ''}${v.message}`),
        ]);
    if (prows.length) {
      for (const row of prows) row[0] = (row[0] === 'denied' ? c.red : c.yellow)(row[0]!);
      lines.push(
        table(
          ['Verdict', 'Workload', 'Policy rule', 'Message'],
          prows,
          ['fit', 'fit', 'fit', 'rest'],
          opts.width,
        ),
      );
    }
    const warned = new Set([...n.warnings, ...n.decisions.flatMap((d) => d.warnings)]);
    for (const w of warned) lines.push(c.yellow(`warning: ${cleanText(w)}`));
    lines.push('');
  }
  if (r.images.length) {
    const rows = r.images.map((i) => [
      cleanText([i.key, ...i.references.filter((x) => x !== i.key)].join('\n')),
      vulnText(i),
      i.namespaces.join(', '),
    ]);
    lines.push(
      c.bold('Images'),
      table(['Image', 'Vulnerabilities', 'Namespaces'], rows, ['rest', 'fit', 'fit'], opts.width),
    );
    for (const i of r.images)
      if (i.error)
        lines.push(c.red(`error[${i.error.code}] ${cleanText(i.key)}: ${cleanText(i.error.message)}`));
  }
  for (const w of r.warnings) lines.push(c.yellow(`warning: ${cleanText(w)}`));
  return `${lines.join('\n').trimEnd()}\n`;
}

function jsonFinding(f: CheckFinding) {
  return {
    ...findingJsonHead(f),
    message: f.message,
    remediation: f.remediation,
    references: f.references,
    ...(f.object ? { object: f.object } : {}),
    ...(f.field ? { field: f.field } : {}),
  };
}

export function renderK8sJson(r: ClusterCheckResult, opts: K8sRenderOptions): string {
  const doc = {
    ...reportEnvelope('k8s', opts.toolVersion),
    cluster: r.cluster,
    ...(r.policy ? { policy: r.policy } : {}),
    summary: k8sSummary(r),
    namespaces: r.namespaces.map((n) => ({
      name: n.name,
      ...(n.error ? { error: n.error } : {}),
      summary: {
        workloads: n.workloads.length,
        ownedSkipped: n.ownedSkipped,
        findings: countBySeverity(n.findings),
        netpolFindings: n.netpol.length,
        ...(r.policy ? { denied: denied(n) } : {}),
      },
      workloads: n.workloads,
      findings: n.findings.map(jsonFinding),
      netpol: n.netpol.map(jsonFinding),
      decisions: n.decisions,
      warnings: n.warnings,
    })),
    images: r.images,
    warnings: r.warnings,
    requests: r.requests,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderK8sSarif(r: ClusterCheckResult, opts: K8sRenderOptions): string {
  const all = r.namespaces.flatMap((n) => [...n.findings, ...n.netpol]);
  const used = new Set(all.map((f) => f.ruleId));
  const policyUsed = new Set(
    r.namespaces.flatMap((n) => n.decisions.flatMap((d) => d.violations.map((v) => v.rule))),
  );
  const rules = (opts.rules ?? [])
    .filter((m) => used.has(m.id))
    .map((m) => ({
      id: m.id,
      shortDescription: m.title,
      fullDescription: m.remediation,
      severity: m.severity,
      help: `${m.remediation}\n\nAliases: ${m.aliases.join(', ') || 'none'}\n${m.references.join('\n')}`,
      ...(m.references[0] ? { helpUri: m.references[0] } : {}),
      tags: ['security', m.category, ...m.aliases],
    }));
  for (const id of [...policyUsed].sort())
    rules.push({
      id,
      shortDescription: POLICY_RULE_INFO[id as PolicyRuleId],
      fullDescription: POLICY_RULE_INFO[id as PolicyRuleId],
      severity: 'HIGH',
      help: POLICY_RULE_INFO[id as PolicyRuleId],
      tags: ['policy'],
    });
  const log = toSarif({
    toolName: 'bulwark',
    toolVersion: opts.toolVersion,
    informationUri: 'https://github.com/bulwark',
    rules,
    results: [
      ...all.map((f) => ({
        ruleId: f.ruleId,
        message: `${f.object ? `${f.object}: ` : ''}${f.message}`,
        file: f.file,
        fingerprint: `${f.ruleId}:${f.file}:${f.object ?? ''}:${f.field ?? ''}`,
        properties: {
          severity: f.severity,
          ...(f.object ? { object: f.object } : {}),
          ...(f.field ? { field: f.field } : {}),
        },
      })),
      ...r.namespaces.flatMap((n) =>
        n.decisions.flatMap((d) =>
          d.violations.map((v) => ({
            ruleId: v.rule,
            level: d.admit ? ('warning' as const) : ('error' as const),
            message: `${d.subject.kind}/${d.subject.name}: ${v.message}`,
            file: d.subject.origin ?? `namespaces/${n.name}`,
            fingerprint: `${v.rule}:${n.name}:${d.subject.kind}/${d.subject.name}:${v.image ?? v.field ?? v.control ?? ''}`,
            properties: {
              ...(v.image ? { image: v.image } : {}),
              ...(v.findings ? { findings: v.findings } : {}),
              ...(v.control ? { control: v.control } : {}),
            },
          })),
        ),
      ),
    ],
    properties: {
      context: r.cluster.context,
      server: r.cluster.server,
      ...(r.policy ? { policy: r.policy.name, mode: r.policy.mode } : {}),
    },
  });
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function renderK8sHtml(r: ClusterCheckResult, opts: K8sRenderOptions): string {
  const s = k8sSummary(r);
  const findings = r.namespaces.flatMap((n) => [...n.findings, ...n.netpol].map((f) => ({ ns: n.name, f })));
  const rows = findings
    .map(
      ({ ns, f }) => `<tr data-severity="${f.severity}">
${severityCell(f.severity)}
<td>${esc(ns)}</td>
<td><code>${esc(f.ruleId)}</code></td>
<td>${esc([f.object, f.field].filter(Boolean).join(' '))}</td>
<td>${esc(f.message)}<div class="dim">${esc(f.remediation)}</div></td></tr>`,
    )
    .join('\n');
  const nsRows = r.namespaces
    .map(
      (n) =>
        `<tr><td>${esc(n.name)}</td><td>${n.error ? `not checked: error[${esc(n.error.code)}] ${esc(n.error.message)}` : `${n.workloads.length} workload(s), ${n.findings.length} finding(s), ${n.netpol.length} NetworkPolicy finding(s)${r.policy ? `, ${denied(n)} denied` : ''}`}</td></tr>`,
    )
    .join('\n');
  const policyRows = r.namespaces
    .flatMap((n) =>
      n.decisions.flatMap((d) =>
        d.violations.map(
          (v) =>
            `<tr><td>${verdict(d)}</td><td>${esc(n.name)}</td><td>${esc(`${d.subject.kind}/${d.subject.name}`)}</td><td><code>${esc(v.rule)}</code></td><td>${esc(v.message)}</td></tr>`,
        ),
      ),
    )
    .join('\n');
  const imageRows = r.images
    .map(
      (i) =>
        `<tr><td><code>${esc(i.key)}</code>${i.references
          .filter((x) => x !== i.key)
          .map((x) => `<div class="dim">${esc(x)}</div>`)
          .join(
            '',
          )}</td><td>${esc(vulnText(i))}${i.error ? `<div class="dim">${esc(i.error.message)}</div>` : ''}</td><td>${esc(i.namespaces.join(', '))}</td></tr>`,
    )
    .join('\n');
  return htmlDocument(
    `bulwark: cluster ${r.cluster.context}`,
    `<h1>Cluster ${esc(r.cluster.context)}</h1>
<p class="meta">${esc(r.cluster.server)}, read by bulwark ${esc(opts.toolVersion)}${r.policy ? `; policy ${esc(r.policy.name)} (${esc(r.policy.mode)})` : ''}</p>
${severitySummary(countBySeverity(findings.map((x) => x.f)), [
  `${s.checked} of ${s.namespaces} namespaces checked, ${s.workloads} workloads`,
  `${s.images} images, ${s.imagesScanned} with facts, ${s.vulnerabilities} vulnerabilities`,
  ...(r.policy ? [`${s.denied} workloads denied by the policy`] : []),
])}
<section aria-labelledby="ns-h"><h2 id="ns-h">Namespaces</h2>
<table><thead><tr><th scope="col">Namespace</th><th scope="col">Result</th></tr></thead><tbody>
${nsRows}
</tbody></table></section>
<section aria-labelledby="find-h"><h2 id="find-h">Findings</h2>
${rows ? sortableTable({ caption: `Findings (${findings.length})`, headers: ['Severity', 'Namespace', 'Rule', 'Object', 'Message'], rows }) : '<p>No findings.</p>'}
</section>
${policyRows ? `<section aria-labelledby="pol-h"><h2 id="pol-h">Policy violations</h2><table><thead><tr><th scope="col">Verdict</th><th scope="col">Namespace</th><th scope="col">Workload</th><th scope="col">Rule</th><th scope="col">Message</th></tr></thead><tbody>\n${policyRows}\n</tbody></table></section>` : ''}
${imageRows ? `<section aria-labelledby="img-h"><h2 id="img-h">Images</h2><table><thead><tr><th scope="col">Image</th><th scope="col">Vulnerabilities</th><th scope="col">Namespaces</th></tr></thead><tbody>\n${imageRows}\n</tbody></table></section>` : ''}
${r.warnings.length ? `<section aria-labelledby="warn-h"><h2 id="warn-h">Warnings</h2><ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul></section>` : ''}`,
  );
}
