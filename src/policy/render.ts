/** Output formats of `bulwark policy check`: pure functions of a PolicyCheckResult. */
import Table from 'cli-table3';
import { reportEnvelope } from '../core/report-envelope.js';
import { toSarif } from '../report/sarif.js';
import { cleanText, fitColumns, terminalStyle } from '../report/terminal.js';
import type { PolicyCheckResult } from './check.js';
import type { PolicyDecision } from './evaluate.js';
import type { PolicyRuleId } from './schema.js';

/** What each rule demands, for SARIF rule metadata and help. */
export const POLICY_RULE_INFO: Readonly<Record<PolicyRuleId, string>> = {
  'policy/pod-security': 'Workloads meet the Pod Security Standards level the policy names',
  'policy/signature-required':
    'Images carry a cosign signature that verifies with a trusted key or certificate',
  'policy/allowed-registries': 'Images come from the registries and repositories the policy allows',
  'policy/mutable-tag': 'Images are pinned by digest, or at least not by a disallowed tag such as latest',
  'policy/max-severity': 'No vulnerability finding above the maximum severity',
  'policy/max-risk': 'The probability that at least one finding is exploited stays under the maximum',
  'policy/kev': "No finding in CISA's Known Exploited Vulnerabilities catalog",
  'policy/fix-age': 'No finding whose fix has been available for longer than the allowed days',
  'policy/resource-limits': 'Containers set the resource limits and requests the policy requires',
  'policy/missing-facts': 'Images have the scan and signature facts the policy needs',
};

export interface PolicyRenderOptions {
  toolVersion: string;
  color?: boolean;
  width?: number;
}

/** Wraps at spaces, cutting only words longer than the column (cli-table3 would drop their end). */
function wrap(text: string, width: number): string {
  const out: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
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
  if (line) out.push(line);
  return out.join('\n');
}

function subjectName(d: PolicyDecision): string {
  const ns = d.subject.namespace ? `${d.subject.namespace}/` : '';
  return d.subject.kind === 'Image' ? d.subject.name : `${d.subject.kind} ${ns}${d.subject.name}`;
}

function where(d: PolicyDecision): string {
  return d.subject.origin ? `${d.subject.origin}${d.subject.line ? `:${d.subject.line}` : ''}` : '';
}

export function renderPolicyTable(r: PolicyCheckResult, opts: PolicyRenderOptions): string {
  const { c } = terminalStyle(opts.color);
  const denied = r.decisions.filter((d) => !d.allowed).length;
  const lines: string[] = [
    `Policy "${cleanText(r.policy)}" (${r.mode}): ${r.decisions.length} subject(s), ${denied} with violations${
      r.mode === 'audit' && denied ? ' (audit mode: nothing is denied)' : ''
    }`,
  ];
  const rows: string[][] = [];
  for (const d of r.decisions) {
    const verdict = d.allowed ? 'allowed' : d.admit ? 'audit' : 'denied';
    const subject = [subjectName(d), where(d)].filter(Boolean).map(cleanText).join('\n');
    if (!d.violations.length)
      rows.push([
        verdict,
        subject,
        '-',
        d.excepted.length ? `${d.excepted.length} waived by exceptions` : '',
      ]);
    for (const v of d.violations)
      rows.push([
        verdict,
        subject,
        v.rule,
        cleanText(`${v.containers?.length ? `[${v.containers.join(', ')}] ` : ''}${v.message}`),
      ]);
  }
  if (rows.length) {
    const colWidths = fitColumns(rows, ['fit', 'fit', 'fit', 'rest'], opts.width);
    const msgWidth = colWidths[3]! - 2;
    for (const row of rows) row[3] = wrap(row[3]!, msgWidth);
    const t = new Table({
      head: ['Verdict', 'Subject', 'Rule', 'Message'],
      colWidths,
      wordWrap: true,
      style: { head: [], border: [] },
    });
    for (const row of rows) {
      const paint = row[0] === 'denied' ? c.red : row[0] === 'audit' ? c.yellow : c.green;
      t.push([paint(row[0]!), row[1]!, row[2]!, row[3]!]);
    }
    lines.push(t.toString());
  }
  const warned = new Set<string>();
  for (const w of [...r.warnings, ...r.decisions.flatMap((d) => d.warnings)]) {
    if (warned.has(w)) continue;
    warned.add(w);
    lines.push(c.yellow(`warning: ${cleanText(w)}`));
  }
  for (const e of r.errors)
    lines.push(c.red(`error[${e.code}] ${cleanText(e.file)}: ${cleanText(e.message)}`));
  return `${lines.join('\n')}\n`;
}

export function renderPolicyJson(r: PolicyCheckResult, opts: PolicyRenderOptions): string {
  const doc = {
    ...reportEnvelope('policy', opts.toolVersion),
    policy: r.policy,
    mode: r.mode,
    summary: {
      subjects: r.decisions.length,
      allowed: r.decisions.filter((d) => d.allowed).length,
      denied: r.decisions.filter((d) => !d.admit).length,
      violations: r.decisions.reduce((n, d) => n + d.violations.length, 0),
      excepted: r.decisions.reduce((n, d) => n + d.excepted.length, 0),
      errors: r.errors.length,
    },
    files: r.files,
    decisions: r.decisions,
    errors: r.errors,
    warnings: r.warnings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function renderPolicySarif(r: PolicyCheckResult, opts: PolicyRenderOptions): string {
  const used = new Set(r.decisions.flatMap((d) => d.violations.map((v) => v.rule)));
  const log = toSarif({
    toolName: 'bulwark',
    toolVersion: opts.toolVersion,
    informationUri: 'https://github.com/bulwark',
    uriBaseId: 'SRCROOT',
    rules: [...used].map((id) => ({
      id,
      shortDescription: POLICY_RULE_INFO[id],
      severity: 'HIGH' as const,
      tags: ['policy'],
    })),
    results: r.decisions.flatMap((d) =>
      d.violations.map((v) => ({
        ruleId: v.rule,
        level: d.admit ? ('warning' as const) : ('error' as const),
        message: `${subjectName(d)}: ${v.message}`,
        file: d.subject.origin ?? d.subject.name,
        ...(d.subject.line ? { line: d.subject.line } : {}),
        properties: {
          ...(v.image ? { image: v.image } : {}),
          ...(v.findings ? { findings: v.findings } : {}),
          ...(v.control ? { control: v.control } : {}),
        },
      })),
    ),
    properties: { policy: r.policy, mode: r.mode },
  });
  return `${JSON.stringify(log, null, 2)}\n`;
}
