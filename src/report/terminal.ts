/**
 * What every human (table) renderer shares: hostile text made safe for a terminal, one severity
 * palette, and the closing lines about suppressed findings, per-file errors and warnings.
 */
import { createColors } from 'picocolors';
import { SEVERITIES, type Severity } from '../core/types.js';

export type Colors = ReturnType<typeof createColors>;

/** Keeps the grid intact when hostile text carries control characters or escape sequences. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

/** Colours (no-ops unless asked) and the severity palette every table uses. */
export function terminalStyle(color: boolean | undefined): {
  c: Colors;
  paint: Record<Severity, (s: string) => string>;
} {
  const c = createColors(color ?? false);
  return {
    c,
    paint: {
      CRITICAL: (s) => c.bold(c.red(s)),
      HIGH: c.red,
      MEDIUM: c.yellow,
      LOW: c.cyan,
      UNKNOWN: c.dim,
    },
  };
}

/** `CRITICAL: 1, HIGH: 0, MEDIUM: 2, LOW: 0` (rule findings have no UNKNOWN). */
export function ratedCounts(counts: Record<Severity, number>): string {
  return SEVERITIES.filter((s) => s !== 'UNKNOWN')
    .map((s) => `${s}: ${counts[s]}`)
    .join(', ');
}

/** The lines closing a check or secrets table: suppressed count, errors, warnings. */
export function closingLines(
  r: {
    suppressed: readonly unknown[];
    errors: readonly { code: string; file: string; message: string }[];
    warnings: readonly { file?: string; line?: number; message: string }[];
  },
  c: Colors,
): string[] {
  const lines: string[] = [];
  if (r.suppressed.length) lines.push(`Suppressed: ${r.suppressed.length} (see --format json for reasons)`);
  for (const e of r.errors)
    lines.push(c.red(`error[${e.code}] ${cleanText(e.file)}: ${cleanText(e.message)}`));
  for (const w of r.warnings)
    lines.push(
      c.yellow(
        `warning ${w.file ? `${cleanText(w.file)}${w.line ? `:${w.line}` : ''}: ` : ''}${cleanText(w.message)}`,
      ),
    );
  return lines;
}

/**
 * Column widths for a wrapped table (cli-table3 widths, padding included): `'fit'` columns take
 * their longest cell and are never cut (rule ids are what users copy into ignore files), numbers
 * are fixed, and the one `'rest'` column takes what is left of `width` (at least 32).
 */
export function fitColumns(
  rows: readonly (readonly string[])[],
  spec: readonly (number | 'fit' | 'rest')[],
  width = 120,
): number[] {
  const visible = (s: string): number =>
    Math.max(
      0,
      ...s
        // eslint-disable-next-line no-control-regex
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .map((l) => l.length),
    );
  const widths = spec.map((w, i) =>
    w === 'fit' ? Math.max(...rows.map((r) => visible(r[i] ?? ''))) + 2 : w === 'rest' ? 0 : w,
  );
  const rest = spec.indexOf('rest');
  if (rest >= 0) {
    const used = widths.reduce((a, b) => a + b, 0) + spec.length + 1;
    widths[rest] = Math.max(32, width - used);
  }
  return widths;
}

/** Where a rule finding is: `line:column`, or `-` for findings about a whole file or object. */
export function lineColumn(f: { line: number; column: number }): string {
  return f.line > 0 ? `${f.line}:${f.column}` : '-';
}
