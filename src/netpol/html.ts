import { esc, htmlDocument } from '../report/html.js';
import { connString } from './conns.js';
import type { Connectivity } from './engine.js';
import { nodesOf } from './format.js';

/**
 * `--format html`: one self-contained page (no network) with an SVG picture of the connection
 * graph (external peers on the left, one column per namespace) and the same connections as a
 * table, its text equivalent. Every name is written through `esc`; the page's CSP allows no
 * script but the report helper's own.
 */
const COL_W = 260;
const ROW_H = 44;
const BOX_W = 220;
const BOX_H = 28;

export function renderConnlistHtml(c: Connectivity, title = 'bulwark netpol: connectivity'): string {
  const nodes = nodesOf(c);
  const columns = new Map<string, typeof nodes>();
  for (const n of nodes) {
    const key = n.external || n.namespace === undefined ? '' : n.namespace;
    columns.set(key, [...(columns.get(key) ?? []), n]);
  }
  const keys = [...columns.keys()].sort((a, b) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
  const pos = new Map<string, { x: number; y: number }>();
  let maxRows = 0;
  keys.forEach((k, col) => {
    const list = columns.get(k)!.sort((a, b) => (a.id < b.id ? -1 : 1));
    maxRows = Math.max(maxRows, list.length);
    list.forEach((n, row) => pos.set(n.id, { x: 20 + col * COL_W, y: 50 + row * ROW_H }));
  });
  const width = 40 + keys.length * COL_W;
  const height = 80 + maxRows * ROW_H;
  const heads = keys
    .map(
      (k, col) =>
        `<text x="${20 + col * COL_W}" y="28" class="ns">${esc(k === '' ? 'outside the cluster' : `namespace ${k}`)}</text>`,
    )
    .join('');
  const edges = c.connections
    .map((x) => {
      const a = pos.get(x.src);
      const b = pos.get(x.dst);
      if (!a || !b) return '';
      const x1 = a.x + BOX_W;
      const y1 = a.y + BOX_H / 2;
      const x2 = b.x;
      const y2 = b.y + BOX_H / 2;
      const back =
        x2 <= x1
          ? ` Q ${Math.max(x1, b.x + BOX_W) + 40} ${(y1 + y2) / 2} ${b.x + BOX_W} ${y2}`
          : ` L ${x2} ${y2}`;
      return `<path d="M ${x1} ${y1}${back}" class="edge" marker-end="url(#arrow)"><title>${esc(`${x.src} → ${x.dst}: ${connString(x.conns)}`)}</title></path>`;
    })
    .join('\n');
  const boxes = nodes
    .map((n) => {
      const p = pos.get(n.id)!;
      const label = n.label.length > 34 ? `${n.label.slice(0, 33)}…` : n.label;
      return `<g><rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="4" class="${n.external ? 'ext' : 'wl'}"></rect><text x="${p.x + 8}" y="${p.y + 18}">${esc(label)}</text><title>${esc(n.id)}</title></g>`;
    })
    .join('\n');
  const svg = `<svg role="img" aria-labelledby="graph-title" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">
<title id="graph-title">${esc(`${c.connections.length} allowed connections between ${nodes.length} peers`)}</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#b8860b"></path></marker></defs>
<style>.ns{font:bold 13px sans-serif}.edge{fill:none;stroke:#b8860b;stroke-width:1.2;opacity:.75}.wl{fill:#e8f0fe;stroke:#1a56c4}.ext{fill:#fdecea;stroke:#c62828}text{font:12px sans-serif}</style>
${heads}
${edges}
${boxes}
</svg>`;
  const rows = c.connections
    .map((x) => `<tr><td>${esc(x.src)}</td><td>${esc(x.dst)}</td><td>${esc(connString(x.conns))}</td></tr>`)
    .join('\n');
  const body = `<h1>${esc(title)}</h1>
<p>${esc(`${c.workloads.length} workloads, ${c.connections.length} allowed connections.`)}</p>
<figure style="overflow:auto">${svg}<figcaption>Allowed connections; hover an arrow for its ports.</figcaption></figure>
<table id="connections"><caption>Allowed connections</caption>
<thead><tr><th scope="col">source</th><th scope="col">destination</th><th scope="col">connections</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
  return htmlDocument(title, body);
}
