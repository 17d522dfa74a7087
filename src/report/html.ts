/**
 * `--format html`: one self-contained file (no network: inline style, inline script, inline SVG)
 * for a scan. Every piece of text from the scan (package names, advisory titles, layer commands,
 * file paths) is hostile until escaped: it is written only through `esc`, into text and quoted
 * attribute positions, and a Content-Security-Policy allows no script but the report's own
 * (pinned by its hash), so even a missed escape could not run code. The script only sorts and
 * filters rows that are already in the page; it never builds HTML from data.
 */
import { createHash } from 'node:crypto';
import { SEVERITIES, type Severity } from '../core/types.js';
import type { VulnFinding } from '../match/index.js';
import { exploitChance, probabilityOf } from '../match/risk.js';
import { severityCounts } from './json.js';
import type { ScanReport } from './types.js';

const COLORS: Record<Severity, string> = {
  CRITICAL: '#8b0000',
  HIGH: '#c62828',
  MEDIUM: '#b26a00',
  LOW: '#1565c0',
  UNKNOWN: '#5f6368',
};

/** Text for HTML text and double-quoted attribute positions. */
export function esc(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only http(s) links are made clickable; anything else (javascript:, data:) stays text. */
function link(url: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${esc(url)}" rel="noreferrer">${esc(url)}</a>` : esc(url);
}

/** A table cell with the severity label that sorts by severity rank (CRITICAL first). */
export function severityCell(s: Severity, extra = ''): string {
  return `<td data-sort="${SEVERITIES.indexOf(s)}">${severityBadge(s)}${extra}</td>`;
}

/** A severity label with its colour (the label is the text, so colour is never the only cue). */
export function severityBadge(s: Severity): string {
  return `<span class="sev" style="background:${COLORS[s]}">${s}</span>`;
}

function short(digest: string | undefined): string {
  return digest ? digest.replace(/^sha256:/, '').slice(0, 12) : '';
}

/** Horizontal bar chart of the counts per severity, inline SVG with a text equivalent. */
function severityChart(counts: Record<Severity, number>): string {
  const max = Math.max(1, ...SEVERITIES.map((s) => counts[s]));
  const rows = SEVERITIES.map((s, i) => {
    const w = Math.round((counts[s] / max) * 300);
    const y = i * 26;
    return (
      `<text x="0" y="${y + 16}" class="lbl">${s}</text>` +
      `<rect x="90" y="${y + 4}" width="${w}" height="16" fill="${COLORS[s]}"></rect>` +
      `<text x="${96 + w}" y="${y + 16}" class="num">${counts[s]}</text>`
    );
  }).join('');
  const desc = SEVERITIES.map((s) => `${s} ${counts[s]}`).join(', ');
  return `<svg role="img" aria-labelledby="chart-title" width="440" height="${SEVERITIES.length * 26}" viewBox="0 0 440 ${SEVERITIES.length * 26}"><title id="chart-title">Findings by severity: ${esc(desc)}</title>${rows}</svg>`;
}

/** P(at least one finding exploited) = 1 - prod(1 - p), p = EPSS, 1 for a CISA KEV entry. */
export function exploitProbability(findings: readonly VulnFinding[]): number {
  return probabilityOf(findings.map((f) => exploitChance(f.epss?.epss, Boolean(f.kev))));
}

function riskExplained(r: ScanReport): string {
  const top = [...r.findings].sort((a, b) => b.risk - a.risk).slice(0, 5);
  const p = exploitProbability(r.findings);
  const withEpss = r.findings.filter((f) => f.epss || f.kev).length;
  const items = top
    .map((f) => {
      const why = [
        f.cvss
          ? `CVSS ${f.cvss.score} (${esc(f.cvss.vector)})`
          : `severity ${f.severity} (no CVSS: the band's middle)`,
        f.epss ? `EPSS ${(f.epss.epss * 100).toFixed(1)}%` : 'no EPSS score',
        f.kev ? `in CISA KEV since ${esc(f.kev.dateAdded)}` : 'not in CISA KEV',
        f.fixedVersion ? `fix ${esc(f.fixedVersion)}` : 'no fix yet',
      ];
      return `<li><strong>${esc(f.id)}</strong> in ${esc(f.package.name)} ${esc(f.package.version)}: risk ${f.risk} = ${why.join(', ')}</li>`;
    })
    .join('');
  return `<section aria-labelledby="risk-h"><h2 id="risk-h">Risk, explained</h2>
<p>Probability that at least one open finding is exploited: <strong>${(p * 100).toFixed(1)}%</strong>
(1 &minus; &prod;(1 &minus; p<sub>i</sub>), p<sub>i</sub> the finding's EPSS score and 1 for a CISA KEV entry;
${withEpss} of ${r.findings.length} findings carry an EPSS score or a KEV entry).
A finding's risk (0&ndash;100) is 55 &times; CVSS/10 + 25 &times; EPSS + 15 when in KEV + 5 when a fix exists.</p>
${items ? `<p>The findings that weigh most:</p><ol>${items}</ol>` : '<p>No open findings.</p>'}</section>`;
}

function findingsTable(r: ScanReport): string {
  if (!r.findings.length) return '<p>No vulnerabilities found.</p>';
  const rows = r.findings
    .map((f) => {
      const layer = f.package.layer;
      const refs = f.references.slice(0, 3).map(link).join('<br>');
      return `<tr data-severity="${f.severity}" data-kev="${f.kev ? 1 : 0}" data-fix="${f.fixedVersion ? 1 : 0}">
${severityCell(f.severity, f.kev ? ' <span class="kev" title="CISA Known Exploited Vulnerability">KEV</span>' : '')}
<td>${esc(f.id)}${f.aliases.length ? `<div class="dim">${esc(f.aliases.slice(0, 4).join(' '))}</div>` : ''}</td>
<td>${esc(f.package.name)}<div class="dim">${esc(f.package.ecosystem)}</div></td>
<td>${esc(f.package.version)}</td>
<td>${esc(f.fixedVersion ?? '')}</td>
<td data-sort="${f.epss?.epss ?? -1}">${f.epss ? `${(f.epss.epss * 100).toFixed(1)}%` : ''}</td>
<td data-sort="${f.risk}">${f.risk}</td>
<td data-sort="${layer?.index ?? -1}">${layer ? `#${layer.index} <span class="dim">${esc(short(layer.digest))}</span>` : ''}</td>
<td>${esc(f.summary ?? '')}${refs ? `<div class="refs">${refs}</div>` : ''}</td></tr>`;
    })
    .join('\n');
  return sortableTable({
    caption: `Vulnerabilities (${r.findings.length})`,
    headers: ['Severity', 'Vulnerability', 'Package', 'Installed', 'Fixed', 'EPSS', 'Risk', 'Layer', 'Title'],
    rows,
    kevAndFix: true,
  });
}

/**
 * The filter form and a table the report's script sorts and filters: rows carry `data-severity`
 * (and `data-kev`/`data-fix` with `kevAndFix`); cells may carry `data-sort` for numeric order.
 */
export function sortableTable(t: {
  caption: string;
  headers: string[];
  rows: string;
  kevAndFix?: boolean;
}): string {
  const boxes = SEVERITIES.map(
    (s) => `<label><input type="checkbox" name="severity" value="${s}" checked> ${s}</label>`,
  ).join(' ');
  return `<form class="filters" role="search" aria-label="Filter findings">
<label>Search <input type="search" id="q" placeholder="text in any column"></label>
<fieldset><legend>Severity</legend>${boxes}</fieldset>
${t.kevAndFix ? '<label><input type="checkbox" id="kev"> Known exploited only</label>\n<label><input type="checkbox" id="fix"> Fix available only</label>' : ''}
<output id="shown" aria-live="polite"></output></form>
<table id="findings"><caption>${esc(t.caption)}; select a column heading to sort</caption>
<thead><tr>${t.headers.map((h) => `<th scope="col" aria-sort="none"><button type="button">${esc(h)}</button></th>`).join('')}</tr></thead>
<tbody>
${t.rows}
</tbody></table>`;
}

function layersView(r: ScanReport): string {
  const layers = r.target.layers ?? [];
  if (!layers.length) return '';
  const rows = layers
    .map((l) => {
      const pkgs = r.packages.filter((p) => p.layer?.diffId === l.diffId).length;
      const found = r.findings.filter((f) => f.package.layer?.diffId === l.diffId);
      const c = severityCounts(found);
      const sev = SEVERITIES.filter((s) => c[s])
        .map((s) => `${s} ${c[s]}`)
        .join(', ');
      return `<tr><td>#${l.index}</td><td><code>${esc(short(l.digest))}</code></td><td><code>${esc(l.createdBy ?? '')}</code></td><td>${pkgs}</td><td>${found.length}${sev ? ` (${esc(sev)})` : ''}</td></tr>`;
    })
    .join('\n');
  return `<section aria-labelledby="layers-h"><h2 id="layers-h">Layers: what each brought</h2>
<table><thead><tr><th scope="col">Layer</th><th scope="col">Digest</th><th scope="col">Created by</th><th scope="col">Packages introduced</th><th scope="col">Findings</th></tr></thead>
<tbody>${rows}</tbody></table></section>`;
}

function ruleFindings(r: ScanReport): string {
  const parts: string[] = [];
  if (r.misconfigurations?.length) {
    const rows = r.misconfigurations
      .map(
        (f) =>
          `<tr><td>${severityBadge(f.severity)}</td><td><code>${esc(f.ruleId)}</code></td><td>${esc(f.field ?? f.file)}</td><td>${esc(f.message)}</td></tr>`,
      )
      .join('\n');
    parts.push(`<section aria-labelledby="mis-h"><h2 id="mis-h">Image configuration (${r.misconfigurations.length})</h2>
<table><thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Where</th><th scope="col">Message</th></tr></thead><tbody>${rows}</tbody></table></section>`);
  }
  if (r.secrets?.length) {
    const rows = r.secrets
      .map(
        (s) =>
          `<tr><td>${severityBadge(s.severity)}</td><td><code>${esc(s.ruleId)}</code></td><td>${esc(s.file)}:${s.line}</td><td><code>${esc(s.match)}</code></td><td>${s.layer ? `#${s.layer.index}` : ''}</td></tr>`,
      )
      .join('\n');
    parts.push(`<section aria-labelledby="sec-h"><h2 id="sec-h">Secrets (${r.secrets.length}, redacted)</h2>
<table><thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">File</th><th scope="col">Match</th><th scope="col">Layer</th></tr></thead><tbody>${rows}</tbody></table></section>`);
  }
  return parts.join('\n');
}

// Sorting and filtering rows already in the page; no data becomes HTML here.
const SCRIPT = `(() => {
  const table = document.getElementById('findings');
  if (!table) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const q = document.getElementById('q');
  const kev = document.getElementById('kev');
  const fix = document.getElementById('fix');
  const shown = document.getElementById('shown');
  const sevs = Array.from(document.querySelectorAll('input[name=severity]'));
  function apply() {
    const text = q.value.trim().toLowerCase();
    const allowed = new Set(sevs.filter((b) => b.checked).map((b) => b.value));
    let n = 0;
    for (const r of rows) {
      const ok = allowed.has(r.dataset.severity) && (!kev || !kev.checked || r.dataset.kev === '1') &&
        (!fix || !fix.checked || r.dataset.fix === '1') && (!text || r.textContent.toLowerCase().includes(text));
      r.hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = n + ' of ' + rows.length + ' shown';
  }
  for (const el of [q, kev, fix, ...sevs]) if (el) el.addEventListener('input', apply);
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, i) => {
    th.querySelector('button').addEventListener('click', () => {
      const asc = th.getAttribute('aria-sort') !== 'ascending';
      heads.forEach((h) => h.setAttribute('aria-sort', 'none'));
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      const key = (r) => {
        const c = r.cells[i];
        const v = c.dataset.sort;
        return v !== undefined ? Number(v) : c.textContent.trim().toLowerCase();
      };
      const sorted = rows.slice().sort((a, b) => {
        const x = key(a), y = key(b);
        const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return asc ? d : -d;
      });
      for (const r of sorted) body.appendChild(r);
    });
  });
  apply();
})();`;

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#202124;max-width:1400px}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin-top:1.6rem}
.meta{color:#5f6368}.dim{color:#5f6368;font-size:12px}table{border-collapse:collapse;width:100%;margin-top:.5rem}
th,td{border-bottom:1px solid #dadce0;padding:.35rem .5rem;text-align:left;vertical-align:top}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
.sev{color:#fff;border-radius:3px;padding:1px 6px;font-size:12px;font-weight:600}
.kev{background:#000;color:#fff;border-radius:3px;padding:1px 5px;font-size:11px}
.summary{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start}.lbl{font-size:12px}.num{font-size:12px}
.filters{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin:.8rem 0}fieldset{border:1px solid #dadce0;padding:.2rem .6rem}
.refs{font-size:12px;word-break:break-all}code{font-size:12px;word-break:break-all}
:focus-visible{outline:2px solid #1a73e8;outline-offset:2px}`;

/**
 * The page around a report: meta, style, the Content-Security-Policy that lets only the report's
 * own script run (pinned by its hash), and that script. `body` must already be escaped HTML.
 */
export function htmlDocument(title: string, body: string): string {
  const scriptHash = createHash('sha256').update(SCRIPT).digest('base64');
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>
${body}
</main><script>${SCRIPT}</script></body></html>
`;
}

/** Findings by severity: the chart and its counts. */
export function severitySummary(counts: Record<Severity, number>, facts: string[]): string {
  return `<section aria-labelledby="sum-h"><h2 id="sum-h">Summary</h2><div class="summary">
${severityChart(counts)}
<ul>${facts.map((f) => `<li>${f}</li>`).join('')}</ul>
</div></section>`;
}

export function renderHtml(r: ScanReport): string {
  const counts = severityCounts(r.findings);
  const t = r.target;
  const kev = r.findings.filter((f) => f.kev).length;
  const fixable = r.findings.filter((f) => f.fixedVersion).length;
  const os = r.os ? `${r.os.name} ${r.os.version}` : '';
  const facts = [
    `${r.findings.length} vulnerabilities in ${r.packages.length} packages`,
    `${kev} known exploited (CISA KEV)`,
    `${fixable} with a fix available`,
    ...(r.suppressed.length ? [`${r.suppressed.length} suppressed by the ignore file`] : []),
  ];
  const warnings = r.warnings.length
    ? `<section aria-labelledby="warn-h"><h2 id="warn-h">Warnings</h2><ul>${r.warnings.map((w) => `<li>${esc('input' in w && w.input ? `${w.input}: ` : '')}${esc(w.message)}</li>`).join('')}</ul></section>`
    : '';
  return htmlDocument(
    `bulwark: ${t.name}`,
    `<h1>${esc(t.name)}</h1>
<p class="meta">${esc(t.kind)}${os ? ` &middot; ${esc(os)}` : ''}${t.digest ? ` &middot; <code>${esc(t.digest)}</code>` : ''} &middot; scanned ${esc(r.createdAt)} by bulwark ${esc(r.tool.version)}${r.db ? ` &middot; database built ${esc(r.db.builtAt)}` : ''}</p>
${severitySummary(counts, facts)}
${riskExplained(r)}
<section aria-labelledby="vuln-h"><h2 id="vuln-h">Vulnerabilities</h2>
${findingsTable(r)}</section>
${layersView(r)}
${ruleFindings(r)}
${warnings}`,
  );
}
