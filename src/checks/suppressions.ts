/**
 * Inline suppressions. `# bulwark:ignore=<ruleId|alias>[,...] reason: <why>` on the line above a
 * statement (or at the end of the finding's own line) silences those rules there; the reason is
 * mandatory, one without it is reported and ignored. hadolint's `# hadolint ignore=DL3008,DL3009`
 * (line above) and `# hadolint global ignore=...` (whole file) are honoured as written.
 */
export interface InlineSuppression {
  ids: string[];
  reason: string;
  line: number;
  global: boolean;
}

export interface SuppressionScan {
  byLine: Map<number, InlineSuppression[]>;
  global: InlineSuppression[];
  /** lines holding only a comment (a suppression may sit above other comment lines) */
  commentLines: Set<number>;
  /** bulwark:ignore comments without a reason */
  invalid: { line: number; ids: string[] }[];
}

const MAX_COMMENT_BLOCK = 20;
const BULWARK = /#\s*bulwark:ignore=([A-Za-z0-9_./,-]+)(?:\s+reason:\s*(\S.*?))?\s*$/;
const HADOLINT = /#\s*hadolint\s+(global\s+)?ignore=([A-Za-z0-9_,\s]+?)\s*$/;

export function scanSuppressions(text: string): SuppressionScan {
  const out: SuppressionScan = { byLine: new Map(), global: [], commentLines: new Set(), invalid: [] };
  const lines = text.split('\n');
  for (const [k, raw] of lines.entries()) {
    const line = k + 1;
    if (/^\s*#/.test(raw)) out.commentLines.add(line);
    if (!raw.includes('#')) continue;
    const b = BULWARK.exec(raw);
    if (b) {
      const ids = b[1]!.split(',').filter(Boolean);
      if (!b[2]) out.invalid.push({ line, ids });
      else push(out, { ids, reason: b[2], line, global: false });
      continue;
    }
    const h = HADOLINT.exec(raw);
    if (h) {
      const ids = h[2]!.split(/[\s,]+/).filter(Boolean);
      const s = { ids, reason: 'hadolint ignore comment', line, global: Boolean(h[1]) };
      if (s.global) out.global.push(s);
      else push(out, s);
    }
  }
  return out;
}

function push(scan: SuppressionScan, s: InlineSuppression): void {
  const list = scan.byLine.get(s.line) ?? [];
  list.push(s);
  scan.byLine.set(s.line, list);
}

/** The suppression that silences a finding of rule `ids` (id and aliases) at `line`, if any. */
export function findSuppression(
  scan: SuppressionScan,
  ids: readonly string[],
  line: number,
  statementStart: number,
): InlineSuppression | undefined {
  const matches = (s: InlineSuppression) => s.ids.some((x) => ids.includes(x));
  const g = scan.global.find(matches);
  if (g) return g;
  const same = scan.byLine.get(line)?.find((s) => matches(s) && !scan.commentLines.has(line));
  if (same) return same;
  // walk up over the comment block directly above the statement (bounded: hostile files can hold
  // a huge comment block above a statement with many findings)
  const stop = Math.max(1, statementStart - MAX_COMMENT_BLOCK);
  for (let l = statementStart - 1; l >= stop && scan.commentLines.has(l); l--) {
    const hit = scan.byLine.get(l)?.find(matches);
    if (hit) return hit;
  }
  return undefined;
}
