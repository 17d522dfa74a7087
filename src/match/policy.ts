import { BulwarkError } from '../core/errors.js';
import { underPath, type IgnoreEntry } from '../core/ignore-file.js';
import type { Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';
import { vexFor, vexReason, type SourcedStatement, type VexTarget } from '../vex/index.js';
import type { MatchWarning, VulnFinding } from './types.js';

export { IGNORE_FILE_NAME, loadIgnoreFile, parseIgnoreFile, type IgnoreEntry } from '../core/ignore-file.js';

export interface PolicyOptions {
  /** keep only these severities (empty or absent: all) */
  severities?: readonly Severity[];
  /** drop findings without a fixed version */
  ignoreUnfixed?: boolean;
  ignore?: readonly IgnoreEntry[];
  /** today, for `expires` (injectable for tests); default the current UTC date */
  now?: Date;
  /** VEX statements (`--vex`), applied after the ignore file and before the severity filter */
  vex?: readonly SourcedStatement[];
  /** what the scan was of, for VEX statements about an image */
  vexTarget?: VexTarget;
}

export interface SuppressedFinding {
  finding: VulnFinding;
  reason: string;
  /** the ignore entry's id that matched */
  rule: string;
  expires?: string;
  /** set when a VEX statement (not the ignore file) suppressed it */
  via?: 'vex';
}

export interface PolicyResult {
  findings: VulnFinding[];
  suppressed: SuppressedFinding[];
  /** how many findings the severity filter and --ignore-unfixed removed */
  filtered: { severity: number; unfixed: number };
  warnings: MatchWarning[];
}

function entryMatches(entry: IgnoreEntry, f: VulnFinding): boolean {
  if (entry.id !== f.id && !f.aliases.includes(entry.id)) return false;
  if (entry.path && !underPath(f.package.location, entry.path)) return false;
  if (!entry.package) return true;
  return entry.package === f.package.name || entry.package === f.package.purl;
}

/**
 * Applies ignore entries first (suppressed findings are kept with their reason), then VEX
 * statements (`not_affected` and `fixed` suppress with the statement as the reason; `affected` and
 * `under_investigation` annotate the finding), then the severity filter and --ignore-unfixed
 * (counted). An entry whose `expires` day is past no longer applies and
 * yields a warning. An entry applies through the whole of its `expires` day (UTC).
 */
export function applyPolicy(findings: readonly VulnFinding[], opts: PolicyOptions = {}): PolicyResult {
  const today = (opts.now ?? new Date()).toISOString().slice(0, 10);
  const warnings: MatchWarning[] = [];
  const active: IgnoreEntry[] = [];
  for (const e of opts.ignore ?? []) {
    if (e.expires && e.expires < today) {
      warnings.push({
        code: 'IGNORE_EXPIRED',
        message: `ignore entry for ${e.id}${e.package ? ` (${e.package})` : ''} expired on ${e.expires}; it no longer applies`,
        input: e.id,
      });
    } else {
      active.push(e);
    }
  }
  const wanted = opts.severities?.length ? new Set(opts.severities) : undefined;
  const out: PolicyResult = { findings: [], suppressed: [], filtered: { severity: 0, unfixed: 0 }, warnings };
  const target = opts.vexTarget ?? { digests: [], repositories: [] };
  for (const found of findings) {
    let f = found;
    const entry = active.find((e) => entryMatches(e, f));
    const v =
      entry || !opts.vex?.length
        ? undefined
        : vexFor(opts.vex, { id: f.id, aliases: f.aliases, purl: f.package.purl }, target);
    if (v && (v.statement.status === 'affected' || v.statement.status === 'under_investigation')) {
      const st = v.statement;
      f = {
        ...f,
        vex: {
          status: st.status as 'affected',
          statement: st.actionStatement ?? st.statusNotes ?? null,
          source: v.source,
        },
      };
    }
    if (entry) {
      out.suppressed.push({
        finding: f,
        reason: entry.reason,
        rule: entry.id,
        ...(entry.expires ? { expires: entry.expires } : {}),
      });
    } else if (v && (v.statement.status === 'not_affected' || v.statement.status === 'fixed')) {
      out.suppressed.push({ finding: f, reason: vexReason(v), rule: `vex:${v.source}`, via: 'vex' });
    } else if (wanted && !wanted.has(f.severity)) {
      out.filtered.severity++;
    } else if (opts.ignoreUnfixed && !f.fixedVersion) {
      out.filtered.unfixed++;
    } else {
      out.findings.push(f);
    }
  }
  return out;
}

/** Parses a `--severity` list such as `critical,HIGH`; unknown names are a USAGE error. */
export function parseSeverityList(value: string): Severity[] {
  const out: Severity[] = [];
  for (const raw of value.split(',')) {
    const s = raw.trim().toUpperCase();
    if (!s) continue;
    if (!(SEVERITIES as readonly string[]).includes(s)) {
      throw new BulwarkError('USAGE', `unknown severity ${JSON.stringify(raw.trim())}`, { input: value });
    }
    if (!out.includes(s as Severity)) out.push(s as Severity);
  }
  return out;
}
