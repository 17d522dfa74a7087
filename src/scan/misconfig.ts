/**
 * Findings that are not vulnerabilities: image configuration checks (`misconfig`) and secrets
 * found by analyzers (`secret`). Both honour --severity and the ignore file's rule ids.
 */
import { SEVERITIES, type Inventory, type Severity } from '../core/types.js';
import type { IgnoreEntry } from '../match/index.js';
import type { ReportWarning, ScanReport, SecretFinding } from '../report/index.js';

export type Scanner = 'vuln' | 'misconfig' | 'secret';
export const SCANNERS: readonly Scanner[] = ['vuln', 'misconfig', 'secret'];

/** Analyzers that only feed one scanner; they run when that scanner does. */
const FACT_ANALYZERS: Record<string, Scanner> = { 'image-hygiene': 'misconfig', secrets: 'secret' };

/** The analyzer ids to load for these scanners (from the registry's ids). */
export function analyzerIdsFor(all: readonly string[], scanners: readonly Scanner[]): string[] {
  return all.filter((id) => {
    const s = FACT_ANALYZERS[id];
    return s === undefined || scanners.includes(s);
  });
}

export interface NonVulnOptions {
  scanners: readonly Scanner[];
  /** the image reference the user named (latest-tag check) */
  reference?: string;
  severities?: readonly Severity[];
  ignore: readonly IgnoreEntry[];
  now?: Date;
}

type Extra = Pick<
  ScanReport,
  'scanners' | 'misconfigurations' | 'suppressedMisconfigurations' | 'secrets' | 'suppressedSecrets'
> & { checkWarnings?: ReportWarning[] };

export async function nonVulnFindings(inventory: Inventory, opts: NonVulnOptions): Promise<Extra> {
  const out: Extra = {};
  const today = (opts.now ?? new Date()).toISOString().slice(0, 10);
  // entries naming a package are about vulnerabilities; expired ones were already warned about
  const entries = opts.ignore.filter((e) => !e.package && !(e.expires && e.expires < today));
  const kind = inventory.target.kind;
  if (opts.scanners.includes('misconfig') && (kind === 'image' || kind === 'rootfs')) {
    const { checkParsed, compareFindings } = await import('../checks/index.js');
    const { family, buildImageConfigInput } = await import('../checks/rules/image-config/index.js');
    const input = buildImageConfigInput(inventory, opts.reference);
    const r = checkParsed({ inputs: [{ input }] }, inventory.target.name, family, {
      ...(opts.severities ? { severities: opts.severities } : {}),
      ignore: entries.map((e) => ({
        id: e.id,
        reason: e.reason,
        ...(e.expires ? { expires: e.expires } : {}),
      })),
      today,
    });
    out.misconfigurations = r.findings.sort(compareFindings);
    out.suppressedMisconfigurations = r.suppressed.sort(compareFindings);
    // a rule that failed on hostile config costs its own findings; say so instead of hiding it
    if (r.warnings.length)
      out.checkWarnings = r.warnings.map((w) => ({
        code: 'CHECK_FAILED',
        message: w.ruleId ? `${w.ruleId}: ${w.message}` : w.message,
        input: inventory.target.name,
      }));
  }
  if (opts.scanners.includes('secret')) {
    const found: SecretFinding[] = [];
    for (const f of inventory.facts ?? []) {
      if (f.kind !== 'secret') continue;
      const d = f.data;
      const sev = String(d.severity ?? '').toUpperCase();
      found.push({
        ruleId: String(d.ruleId ?? 'secret'),
        title: String(d.title ?? d.ruleId ?? 'secret'),
        severity: (SEVERITIES as readonly string[]).includes(sev) ? (sev as Severity) : 'UNKNOWN',
        file: f.path,
        line: typeof d.line === 'number' ? d.line : 0,
        column: typeof d.column === 'number' ? d.column : 0,
        match: String(d.match ?? ''),
        ...(f.layer ? { layer: f.layer } : {}),
      });
    }
    found.sort((a, b) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column,
    );
    out.secrets = [];
    out.suppressedSecrets = [];
    for (const s of found) {
      if (opts.severities && !opts.severities.includes(s.severity)) continue;
      const e = entries.find((x) => x.id === s.ruleId);
      if (e) out.suppressedSecrets.push({ ...s, reason: e.reason });
      else out.secrets.push(s);
    }
  }
  return out;
}
