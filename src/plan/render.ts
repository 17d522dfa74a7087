/** The plan document (`bulwark plan -f json`, `GET /api/v1/images/{id}/plan`) and its text forms. */
import { reportEnvelope } from '../core/report-envelope.js';
import type { BaseBump } from './base-bump.js';
import type { PatchPlan } from './patch.js';
import type { ImageRisk } from './risk.js';
import type { PlanInput } from './types.js';

export interface PlanDocument {
  schemaVersion: string;
  kind: 'plan';
  tool: { name: 'bulwark'; version: string };
  target: { name: string; digest: string | null; scannedAt: string | null };
  basis: PatchPlan['basis'];
  /** the vulnerability database the database basis used (its build time) */
  db: { builtAt: string } | null;
  risk: ImageRisk;
  plan: Omit<PatchPlan, 'basis'>;
  baseImage: BaseBump | null;
  warnings: PlanInput['warnings'];
}

export function planDocument(
  input: PlanInput,
  risk: ImageRisk,
  plan: PatchPlan,
  opts: { toolVersion: string; dbBuiltAt?: string | null; baseImage?: BaseBump | null },
): PlanDocument {
  const { basis, ...rest } = plan;
  return {
    ...(reportEnvelope('plan', opts.toolVersion) as PlanDocument & object),
    kind: 'plan',
    target: { name: input.name, digest: input.digest, scannedAt: input.createdAt },
    basis,
    db: opts.dbBuiltAt ? { builtAt: opts.dbBuiltAt } : null,
    risk,
    plan: rest,
    baseImage: opts.baseImage ?? null,
    warnings: input.warnings,
  };
}

const pct = (p: number) => `${(p * 100).toFixed(p > 0 && p < 0.001 ? 3 : 1)}%`;

function epssText(epss: number | null, kev: boolean): string {
  return kev ? 'KEV' : epss === null ? '-' : pct(epss);
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function originText(d: PlanDocument): string {
  const b = d.risk.base;
  if (b.method === 'none') return 'base image layers: unknown (no annotation, no shared layers known)';
  return `base image layers: ${b.baseLayers} (${b.method}${b.baseName ? `: ${b.baseName}` : ''})`;
}

/** Plain text for a terminal. */
export function renderPlanTable(d: PlanDocument): string {
  const r = d.risk;
  const out: string[] = [];
  out.push(`${d.target.name}${d.target.digest ? ` (${d.target.digest.slice(0, 19)})` : ''}`);
  out.push(
    `Exploit probability: ${pct(r.probability)} over ${r.findings} open findings (${r.kev} in CISA KEV, ${r.withEpss} with EPSS)${r.excluded ? `, ${r.excluded} closed by triage` : ''}`,
  );
  out.push(originText(d));
  if (r.contributors.length) {
    out.push('', 'Top contributors');
    out.push(
      ...pad([
        ['VULNERABILITY', 'PACKAGE', 'CVSS', 'EPSS', 'FIX', 'LAYER', 'RISK AFTER'],
        ...r.contributors.map((c) => [
          c.id,
          `${c.package.name} ${c.package.version}`,
          c.cvss === null ? '-' : String(c.cvss),
          epssText(c.epss, c.kev),
          c.fixedVersion ?? 'none',
          `${c.layer.origin}${c.layer.index === null ? '' : ` #${c.layer.index}`}`,
          pct(c.riskAfter),
        ]),
      ]),
    );
  }
  const p = d.plan;
  out.push(
    '',
    `Patch plan (${d.basis === 'database' ? 'checked against the vulnerability database' : 'from the report alone'}): ${pct(p.probability)} -> ${pct(p.probabilityAfter)}`,
  );
  if (!p.steps.length) out.push('  nothing to upgrade');
  for (const [i, s] of p.steps.entries()) {
    out.push(
      `${String(i + 1).padStart(3)}. ${s.name} ${s.installed} -> ${s.target}  fixes ${s.fixes.length} ${s.fixes.length === 1 ? 'advisory' : 'advisories'}, risk ${pct(s.riskRemoved)} removed, ${pct(s.riskAfter)} left`,
    );
    if (s.command) out.push(`     ${s.command}`);
    if (s.remaining.length) out.push(`     still open: ${s.remaining.join(', ')}`);
    if (s.introduces.length) out.push(`     the target is affected by: ${s.introduces.join(', ')}`);
  }
  if (p.unfixable.length) {
    out.push('', 'No fix available');
    for (const u of p.unfixable)
      out.push(`  ${u.name} ${u.version} (${u.packages.join(', ')}): ${u.findings.join(', ')} - ${u.reason}`);
  }
  if (d.baseImage) out.push('', ...baseText(d.baseImage));
  return `${out.join('\n')}\n`;
}

function baseText(b: BaseBump): string[] {
  const out = [
    `Base image ${b.current.name ?? '(unnamed)'}: its layers' findings ${pct(b.current.probability)}`,
  ];
  if (!b.candidates.length) out.push('  no other stored tag of its repository');
  for (const c of b.candidates.slice(0, 5))
    out.push(
      `  ${c.name === b.best ? '*' : ' '} ${c.name}: ${pct(c.probabilityAfter)} after (${c.findingsRemoved} findings gone, ${c.findingsAdded} new)`,
    );
  return out;
}

const md = (s: string) => s.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);

/** Markdown for a pull request or an issue. */
export function renderPlanMarkdown(d: PlanDocument): string {
  const r = d.risk;
  const out: string[] = [];
  out.push(`## Patch plan for ${md(d.target.name)}`, '');
  out.push(
    `Exploit probability **${pct(r.probability)}** over ${r.findings} open findings (${r.kev} in CISA KEV, ${r.withEpss} with EPSS); ${md(originText(d))}.`,
    '',
  );
  const p = d.plan;
  out.push(
    `Upgrades, ranked by risk removed (${d.basis === 'database' ? 'checked against the vulnerability database' : 'from the report alone'}): ${pct(p.probability)} → ${pct(p.probabilityAfter)}.`,
    '',
  );
  if (p.steps.length) {
    out.push('| # | package | installed | minimal fix | fixes | risk removed | left | command |');
    out.push('|---|---|---|---|---|---|---|---|');
    for (const [i, s] of p.steps.entries())
      out.push(
        `| ${i + 1} | ${md(s.name)} | ${md(s.installed)} | ${md(s.target)} | ${s.fixes.length}${s.remaining.length ? ` (${s.remaining.length} left)` : ''} | ${pct(s.riskRemoved)} | ${pct(s.riskAfter)} | ${s.command ? `\`${s.command.replace(/`/g, "'")}\`` : ''} |`,
      );
    out.push('');
  }
  if (p.unfixable.length) {
    out.push('No fix available:', '');
    for (const u of p.unfixable)
      out.push(`- ${md(u.name)} ${md(u.version)}: ${u.findings.map(md).join(', ')} (${u.reason})`);
    out.push('');
  }
  if (r.contributors.length) {
    out.push(
      'Top contributors:',
      '',
      '| vulnerability | package | CVSS | EPSS | fix | layer |',
      '|---|---|---|---|---|---|',
    );
    for (const c of r.contributors)
      out.push(
        `| ${md(c.id)} | ${md(c.package.name)} ${md(c.package.version)} | ${c.cvss ?? '-'} | ${epssText(c.epss, c.kev)} | ${md(c.fixedVersion ?? 'none')} | ${c.layer.origin}${c.layer.index === null ? '' : ` #${c.layer.index}`} |`,
      );
    out.push('');
  }
  if (d.baseImage) out.push(...baseText(d.baseImage).map(md), '');
  return `${out.join('\n').trimEnd()}\n`;
}
