import { connString } from './conns.js';
import type { Connectivity, Connection } from './engine.js';
import type { Workload } from './model.js';

/**
 * Connection-list renderers in netpol-analyzer's own spellings (txt, json, csv, md, dot), so
 * their users read the same lines; html is bulwark's own picture of the graph.
 */
export const CONNLIST_FORMATS = ['txt', 'json', 'csv', 'md', 'dot', 'html'] as const;
export type ConnlistFormat = (typeof CONNLIST_FORMATS)[number];

export interface Row {
  src: string;
  dst: string;
  conn: string;
}

export function rows(conns: readonly Connection[]): Row[] {
  return conns.map((c) => ({ src: c.src, dst: c.dst, conn: connString(c.conns) }));
}

export function renderTxt(r: readonly Row[]): string {
  return r.map((x) => `${x.src} => ${x.dst} : ${x.conn}`).join('\n');
}

export function renderJson(r: readonly Row[]): string {
  return JSON.stringify(
    r.map((x) => ({ src: x.src, dst: x.dst, conn: x.conn })),
    null,
    2,
  );
}

/** RFC 4180 field, quoted as Go's encoding/csv quotes (comma, quote, line break, leading space). */
export function csvField(s: string): string {
  if (s === '' || (!/[",\r\n]/.test(s) && !s.startsWith(' '))) return s;
  return `"${s.replace(/"/g, '""')}"`;
}

export function renderCsv(r: readonly Row[], header = ['src', 'dst', 'conn']): string {
  const lines = [header, ...r.map((x) => [x.src, x.dst, x.conn])].map((l) => l.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

/** Markdown cells: a `|` or line break in a name would break the table. */
export function mdCell(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

export function renderMd(r: readonly Row[]): string {
  return [
    '| src | dst | conn |',
    '|-----|-----|------|',
    ...r.map((x) => `| ${mdCell(x.src)} | ${mdCell(x.dst)} | ${mdCell(x.conn)} |`),
  ].join('\n');
}

/** Go's %q for the strings that occur here. */
const q = (s: string) => JSON.stringify(s);

interface Node {
  id: string;
  label: string;
  namespace?: string;
  external: boolean;
  color: string;
}

export function nodesOf(c: Connectivity): Node[] {
  const byId = new Map<string, Node>();
  const wl = new Map<string, Workload>(c.workloads.map((w) => [w.id, w]));
  const add = (id: string, w?: Workload) => {
    if (byId.has(id)) return;
    if (w)
      byId.set(id, {
        id,
        label: `${w.name}[${w.kind}]`,
        namespace: w.namespace,
        external: false,
        color: 'blue',
      });
    else if (id.endsWith('[External]')) byId.set(id, { id, label: id, external: true, color: 'red2' });
    else if (id.startsWith('{')) byId.set(id, { id, label: id, external: true, color: 'blue' });
    else {
      // a workload outside the focus list: label from its id
      const m = /^([^/]*)\/(.*)$/.exec(id);
      byId.set(id, {
        id,
        label: m ? m[2]! : id,
        ...(m ? { namespace: m[1]! } : {}),
        external: false,
        color: 'blue',
      });
    }
  };
  for (const x of c.connections) {
    add(x.src, wl.get(x.src));
    add(x.dst, wl.get(x.dst));
  }
  for (const w of c.workloads) add(w.id, w);
  return [...byId.values()];
}

export function renderDot(c: Connectivity): string {
  const nodes = nodesOf(c);
  const line = (n: Node) => `${q(n.id)} [label=${q(n.label)} color=${q(n.color)} fontcolor=${q(n.color)}]`;
  const groups = new Map<string, string[]>();
  const external: string[] = [];
  for (const n of nodes) {
    if (n.external || n.namespace === undefined) external.push(`\t${line(n)}`);
    else {
      const key = `${n.namespace}[namespace]`;
      groups.set(key, [...(groups.get(key) ?? []), `\t\t${line(n)}`]);
    }
  }
  const out = ['digraph {'];
  for (const key of [...groups.keys()].sort()) {
    out.push(
      `\tsubgraph "cluster_${key.replace(/-/g, '_')}" {`,
      '\t\tcolor="black"',
      '\t\tfontcolor="black"',
    );
    out.push(...groups.get(key)!.sort(), `\t\tlabel=${q(key)}`, '\t}');
  }
  out.push(...external.sort());
  const edges = c.connections.map((x) => {
    const conn = connString(x.conns);
    return `\t${q(x.src)} -> ${q(x.dst)} [label=${q(conn)} color="gold2" fontcolor="darkgreen" weight=${x.src <= x.dst ? '0.5' : '1'}]`;
  });
  out.push(...edges.sort(), '}');
  return out.join('\n');
}
