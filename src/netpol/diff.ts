import { connString } from './conns.js';
import { cmp, type Connection } from './engine.js';
import { csvField, mdCell } from './format.js';

/**
 * `netpol diff`: what a change of manifests does to connectivity, pair by pair. A pair present
 * on one side only is added or removed; a pair on both sides with other ports is changed.
 */
export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffEntry {
  kind: DiffKind;
  src: string;
  dst: string;
  /** connections before ('' when added) */
  old: string;
  /** connections after ('' when removed) */
  new: string;
}

export function diffConnections(before: readonly Connection[], after: readonly Connection[]): DiffEntry[] {
  const key = (c: Connection) => `${c.src}\u0000${c.dst}`;
  const a = new Map(before.map((c) => [key(c), c]));
  const b = new Map(after.map((c) => [key(c), c]));
  const out: DiffEntry[] = [];
  for (const [k, c] of a) {
    const n = b.get(k);
    const old = connString(c.conns);
    if (!n) out.push({ kind: 'removed', src: c.src, dst: c.dst, old, new: '' });
    else if (connString(n.conns) !== old)
      out.push({ kind: 'changed', src: c.src, dst: c.dst, old, new: connString(n.conns) });
  }
  for (const [k, c] of b)
    if (!a.has(k)) out.push({ kind: 'added', src: c.src, dst: c.dst, old: '', new: connString(c.conns) });
  return out.sort((x, y) => cmp(x.src, y.src) || cmp(x.dst, y.dst));
}

export const DIFF_FORMATS = ['txt', 'json', 'md', 'csv'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export function renderDiff(d: readonly DiffEntry[], format: DiffFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(d, null, 2);
    case 'csv':
      return `${[['diff', 'src', 'dst', 'old', 'new'], ...d.map((e) => [e.kind, e.src, e.dst, e.old, e.new])]
        .map((l) => l.map(csvField).join(','))
        .join('\n')}\n`;
    case 'md':
      return [
        '| diff | src | dst | old | new |',
        '|------|-----|-----|-----|-----|',
        ...d.map(
          (e) => `| ${e.kind} | ${mdCell(e.src)} | ${mdCell(e.dst)} | ${mdCell(e.old)} | ${mdCell(e.new)} |`,
        ),
      ].join('\n');
    default:
      if (d.length === 0) return 'No connectivity differences';
      return d
        .map((e) =>
          e.kind === 'added'
            ? `+ ${e.src} => ${e.dst} : ${e.new}`
            : e.kind === 'removed'
              ? `- ${e.src} => ${e.dst} : ${e.old}`
              : `~ ${e.src} => ${e.dst} : ${e.old} -> ${e.new}`,
        )
        .join('\n');
  }
}
