import { readFile, stat } from 'node:fs/promises';
import { BulwarkError } from '../core/errors.js';
import { exploitChance, probabilityOf } from '../match/risk.js';
import { connString, isEmpty } from './conns.js';
import type { Engine } from './engine.js';
import type { ExposurePath } from './exposure.js';
import type { Workload } from './model.js';

/**
 * Attack paths: bulwark image reports joined to the workloads running those images. Externally
 * reachable workloads are ranked by the probability that at least one of their image's
 * vulnerabilities is exploited, 1 − Π(1 − pᵢ) with pᵢ the EPSS score (1 for a CISA KEV entry);
 * lateral paths external → A → B are listed where B's image holds a KEV finding.
 */
export interface ImageVulns {
  file: string;
  name: string;
  digests: string[];
  refs: string[];
  findings: { id: string; epss: number; kev: boolean }[];
}

export interface RankedWorkload {
  workload: string;
  image: string;
  probability: number;
  kev: string[];
  paths: string[];
}

export interface LateralPath {
  entry: string;
  via: string;
  target: string;
  kev: string[];
  /** `internet → A → B` with the ports of each hop */
  path: string;
}

export interface AttackPaths {
  ranked: RankedWorkload[];
  lateral: LateralPath[];
  /** workloads whose images no report covers */
  unmatched: string[];
  errors: { file: string; code: 'MALFORMED_INPUT' | 'INPUT_NOT_FOUND' | 'LIMIT_EXCEEDED'; message: string }[];
}

const MAX_REPORT_BYTES = 256 * 1024 * 1024;
const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Normalises an image reference the way Docker resolves it: docker.io/library/x:latest. */
export function normalizeRef(ref: string): string {
  let r = ref.trim();
  const at = r.indexOf('@');
  if (at >= 0) r = r.slice(0, at);
  const slash = r.indexOf('/');
  const first = slash >= 0 ? r.slice(0, slash) : '';
  if (slash < 0 || !(first.includes('.') || first.includes(':') || first === 'localhost'))
    r = `docker.io/${slash < 0 ? `library/${r}` : r}`;
  const lastPart = r.slice(r.lastIndexOf('/') + 1);
  if (!lastPart.includes(':')) r += ':latest';
  return r;
}

function digestOf(ref: string): string | undefined {
  const m = /@(sha256:[0-9a-f]{64})$/i.exec(ref.trim());
  return m ? m[1]!.toLowerCase() : undefined;
}

export function parseReport(text: string, file: string): ImageVulns {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not JSON: ${(e as Error).message}`, { input: file });
  }
  if (!isObj(doc) || !isObj(doc.target) || !Array.isArray(doc.findings))
    throw new BulwarkError('MALFORMED_INPUT', 'not a bulwark JSON report (no target or findings)', {
      input: file,
    });
  const t = doc.target;
  const strs = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const digests = [
    ...(typeof t.digest === 'string' ? [t.digest.toLowerCase()] : []),
    ...strs(t.repoDigests)
      .map(digestOf)
      .filter((x): x is string => Boolean(x)),
  ];
  const refs = [...(typeof t.name === 'string' ? [t.name] : []), ...strs(t.repoTags)].map(normalizeRef);
  const findings = doc.findings.filter(isObj).map((f) => ({
    id: typeof f.id === 'string' ? f.id : '?',
    epss: isObj(f.epss) && typeof f.epss.score === 'number' ? Math.min(1, Math.max(0, f.epss.score)) : 0,
    kev: isObj(f.kev),
  }));
  return { file, name: typeof t.name === 'string' ? t.name : file, digests, refs, findings };
}

export async function readReports(
  files: readonly string[],
): Promise<{ reports: ImageVulns[]; errors: AttackPaths['errors'] }> {
  const reports: ImageVulns[] = [];
  const errors: AttackPaths['errors'] = [];
  for (const f of files) {
    try {
      const st = await stat(f).catch(() => {
        throw new BulwarkError('INPUT_NOT_FOUND', 'no such file', { input: f });
      });
      if (st.size > MAX_REPORT_BYTES)
        throw new BulwarkError('LIMIT_EXCEEDED', `report larger than ${MAX_REPORT_BYTES} bytes`, {
          input: f,
        });
      reports.push(parseReport(await readFile(f, 'utf8'), f));
    } catch (e) {
      const err = e instanceof BulwarkError ? e : new BulwarkError('MALFORMED_INPUT', (e as Error).message);
      errors.push({ file: f, code: err.code as 'MALFORMED_INPUT', message: err.message });
    }
  }
  return { reports, errors };
}

export function exploitProbability(findings: readonly { epss: number; kev: boolean }[]): number {
  return probabilityOf(findings.map((f) => exploitChance(f.epss, f.kev)));
}

function reportsFor(w: Workload, reports: readonly ImageVulns[]): { image: string; report: ImageVulns }[] {
  const out: { image: string; report: ImageVulns }[] = [];
  for (const image of w.images) {
    const d = digestOf(image);
    const ref = normalizeRef(image);
    const r = reports.find((x) => (d && x.digests.includes(d)) || (!d && x.refs.includes(ref)));
    if (r) out.push({ image, report: r });
  }
  return out;
}

export function attackPaths(
  engine: Engine,
  exposed: Map<string, ExposurePath[]>,
  reports: readonly ImageVulns[],
): Omit<AttackPaths, 'errors'> {
  const ws = engine.model.workloads;
  const vulns = ws.map((w) => {
    const rs = reportsFor(w, reports);
    const findings = rs.flatMap((r) => r.report.findings);
    return {
      rs,
      probability: exploitProbability(findings),
      kev: [...new Set(findings.filter((f) => f.kev).map((f) => f.id))].sort(),
    };
  });
  const ranked: RankedWorkload[] = [];
  const lateral: LateralPath[] = [];
  ws.forEach((w, i) => {
    const paths = exposed.get(w.id);
    if (!paths?.length) return;
    const v = vulns[i]!;
    if (v.rs.length)
      ranked.push({
        workload: w.id,
        image: v.rs.map((r) => r.image).join(', '),
        probability: v.probability,
        kev: v.kev,
        paths: paths.map((p) => p.path),
      });
    ws.forEach((b, j) => {
      if (i === j || vulns[j]!.kev.length === 0) return;
      const conns = engine.allowed(i, j);
      if (isEmpty(conns)) return;
      lateral.push({
        entry: paths[0]!.path,
        via: w.id,
        target: b.id,
        kev: vulns[j]!.kev,
        path: `internet → ${w.id} (${paths.map((p) => p.kind).join(', ')}) → ${b.id} : ${connString(conns)}`,
      });
    });
  });
  ranked.sort((a, b) => b.probability - a.probability || (a.workload < b.workload ? -1 : 1));
  lateral.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : a.via < b.via ? -1 : 1));
  const unmatched = ws.filter((_, i) => vulns[i]!.rs.length === 0).map((w) => w.id);
  return { ranked, lateral, unmatched };
}

export function renderAttackPaths(a: AttackPaths, format: 'txt' | 'json' | 'md'): string {
  if (format === 'json') return JSON.stringify(a, null, 2);
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  if (format === 'md') {
    const lines = [
      '## Externally reachable workloads by exploit probability',
      '',
      '| workload | image | P(exploit) | KEV | reachable through |',
      '|---|---|---|---|---|',
    ];
    for (const r of a.ranked)
      lines.push(
        `| ${r.workload} | ${r.image} | ${pct(r.probability)} | ${r.kev.join(', ')} | ${r.paths.join('<br>')} |`,
      );
    lines.push(
      '',
      '## Lateral paths to workloads with known exploited vulnerabilities',
      '',
      '| path | KEV |',
      '|---|---|',
    );
    for (const l of a.lateral) lines.push(`| ${l.path} | ${l.kev.join(', ')} |`);
    return lines.join('\n');
  }
  const out = ['Externally reachable workloads, by exploit probability of their images:'];
  if (a.ranked.length === 0) out.push('  (none with a matching image report)');
  for (const r of a.ranked) {
    out.push(
      `  ${pct(r.probability).padStart(6)}  ${r.workload}  ${r.image}${r.kev.length ? `  KEV: ${r.kev.join(', ')}` : ''}`,
    );
    for (const p of r.paths) out.push(`          ${p}`);
  }
  out.push('', 'Lateral paths to workloads holding a KEV finding:');
  if (a.lateral.length === 0) out.push('  (none)');
  for (const l of a.lateral) out.push(`  ${l.path}  KEV: ${l.kev.join(', ')}`);
  return out.join('\n');
}
