import Table from 'cli-table3';
import { cleanText, terminalStyle } from './terminal.js';
import type { Severity } from '../core/types.js';
import { countBySeverity, SEVERITIES } from '../core/types.js';
import { severityCounts } from './json.js';
import type { VulnFinding } from '../match/index.js';
import type { ScanReport, SignatureStatus } from './types.js';

export interface TableOptions {
  /** ANSI colours; off unless the caller asks (the CLI decides from TTY/NO_COLOR/--color) */
  color?: boolean;
  /** longest cell text before it is cut with an ellipsis */
  maxCellWidth?: number;
}

function cut(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s;
}

const clean = cleanText;

function targetTitle(r: ScanReport): string {
  const os = r.os ? ` (${r.os.name} ${r.os.version})` : '';
  return `${r.target.name}${os}`;
}

/**
 * Human table, one block per target: a title, a summary line per severity, then one row per
 * finding (package, vulnerability, severity, installed, fixed, title). Suppressed findings are
 * counted in the summary, not listed.
 */
export function renderTable(reports: ScanReport | readonly ScanReport[], opts: TableOptions = {}): string {
  const list = Array.isArray(reports) ? (reports as readonly ScanReport[]) : [reports as ScanReport];
  const { c, paint } = terminalStyle(opts.color);
  const max = opts.maxCellWidth ?? 60;
  const blocks: string[] = [];
  for (const r of list) {
    const counts = severityCounts(r.findings);
    const summary = SEVERITIES.map((s) => `${paint[s](s)}: ${counts[s]}`).join(', ');
    const lines = [
      c.bold(clean(targetTitle(r))),
      '='.repeat(Math.min(80, clean(targetTitle(r)).length)),
      r.scanners && !r.scanners.includes('vuln')
        ? `Vulnerabilities: not scanned (--scanners ${r.scanners.join(',')})`
        : `Total: ${r.findings.length} (${summary})`,
    ];
    const kev = r.findings.filter((f) => f.kev).length;
    if (kev) lines.push(`Known exploited (CISA KEV): ${kev}`);
    if (r.signatures) lines.push(clean(signatureStatusLine(r.signatures)));
    const byVex = r.suppressed.filter((x) => x.via === 'vex').length;
    if (r.suppressed.length)
      lines.push(
        `Suppressed: ${r.suppressed.length} (${byVex ? `ignore file: ${r.suppressed.length - byVex}, VEX: ${byVex}` : 'ignore file'})`,
      );
    const annotated = r.findings.filter((f) => f.vex);
    if (annotated.length) {
      const affected = annotated.filter((f) => f.vex!.status === 'affected').length;
      lines.push(
        `VEX: ${affected} affected, ${annotated.length - affected} under investigation (marked in the table)`,
      );
    }
    if (r.filtered && (r.filtered.severity || r.filtered.unfixed)) {
      lines.push(`Filtered: ${r.filtered.severity} by severity, ${r.filtered.unfixed} without fix`);
    }
    if (r.findings.length) {
      const table = new Table({
        head: ['Package', 'Vulnerability', 'Severity', 'Source', 'Installed', 'Fixed', 'Title'],
        style: { head: opts.color ? ['bold'] : [], border: [] },
        wordWrap: false,
      });
      for (const f of r.findings) {
        table.push([
          cut(clean(f.package.name), max),
          cut(clean(f.id), max) +
            (f.vex ? ` [VEX ${f.vex.status === 'affected' ? 'affected' : 'investigating'}]` : ''),
          // exploitation in the wild outranks any score: say so where the eye lands
          `${paint[f.severity](f.severity)}${f.kev ? ` ${c.bold('KEV')}` : ''}`,
          severitySourceCell(f),
          cut(clean(f.package.version), max),
          cut(clean(f.fixedVersion ?? ''), max),
          cut(clean(f.summary ?? ''), max),
        ]);
      }
      lines.push(table.toString());
    }
    lines.push(...nonVulnSections(r, opts, paint, c.bold));
    blocks.push(lines.join('\n'));
  }
  return `${blocks.join('\n\n')}\n`;
}

/** Where the severity came from: the distribution's name for vendor ratings, else `nvd` or `ghsa`. */
export function severitySourceCell(f: VulnFinding): string {
  const s = f.severitySource;
  if (!s) return '';
  if (s.source === 'vendor') return clean(f.vendorSeverity?.vendor || 'vendor');
  return s.source ?? '';
}

function countLine(
  items: readonly { severity: Severity }[],
  paint: Record<Severity, (s: string) => string>,
): string {
  const counts = countBySeverity(items);
  return `Total: ${items.length} (${SEVERITIES.map((s) => `${paint[s](s)}: ${counts[s]}`).join(', ')})`;
}

/** Misconfiguration and secret sections, printed only when those scanners ran. */
function nonVulnSections(
  r: ScanReport,
  opts: TableOptions,
  paint: Record<Severity, (s: string) => string>,
  bold: (s: string) => string,
): string[] {
  const max = opts.maxCellWidth ?? 60;
  const out: string[] = [];
  const grid = (head: string[]) =>
    new Table({ head, style: { head: opts.color ? ['bold'] : [], border: [] }, wordWrap: false });
  const layerOf = (l: { index: number } | undefined) => (l ? String(l.index) : '');
  if (r.misconfigurations) {
    const list = r.misconfigurations;
    out.push('', bold('Image configuration'), countLine(list, paint));
    if (r.suppressedMisconfigurations?.length)
      out.push(`Suppressed: ${r.suppressedMisconfigurations.length} (ignore file)`);
    if (list.length) {
      const t = grid(['Rule', 'Severity', 'Where', 'Layer', 'Message']);
      for (const f of list)
        t.push([
          cut(clean(f.ruleId), max),
          paint[f.severity](f.severity),
          cut(clean(f.field ?? f.object ?? ''), max),
          layerOf(f.layer),
          cut(clean(f.message), max + 40),
        ]);
      out.push(t.toString());
    }
  }
  if (r.secrets) {
    const list = r.secrets;
    out.push('', bold('Secrets'), countLine(list, paint));
    if (r.suppressedSecrets?.length) out.push(`Suppressed: ${r.suppressedSecrets.length} (ignore file)`);
    if (list.length) {
      const t = grid(['Rule', 'Severity', 'File', 'Layer', 'Match']);
      for (const s of list)
        t.push([
          cut(clean(s.ruleId), max),
          paint[s.severity](s.severity),
          cut(clean(s.line ? `${s.file}:${s.line}` : s.file), max),
          layerOf(s.layer),
          cut(clean(s.match), max),
        ]);
      out.push(t.toString());
    }
  }
  return out;
}

/** One line for a table or stderr: `Signatures: verified with ...`. */
export function signatureStatusLine(s: SignatureStatus): string {
  if (s.status === 'verified')
    return `Signatures (cosign): verified with ${(s.verifiedBy ?? s.keys).join(', ')}`;
  if (s.status === 'not-verified') return `Signatures (cosign): NOT verified [${s.reason}] ${s.message}`;
  return `Signatures (cosign): not checked: ${s.message}`;
}
