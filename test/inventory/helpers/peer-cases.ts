/**
 * The inventory conformance harness: published test fixtures of Trivy, Syft and osv-scalibr, each
 * with the (name, version) set its peer expects (transcribed from the peer's own test tables into
 * `cases.json`), run through bulwark's real directory scan. Where the peer's expectation is wrong
 * by the ecosystem's own tool, `expect` holds the tool's answer and `peerExpect` the peer's, and
 * the peer's README says why.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dirInventory } from '../../../src/scan/fs.js';

export const PEERS_DIR = new URL('../../fixtures/inventory-peers/', import.meta.url).pathname;

export interface PeerCase {
  id: string;
  ecosystem: string;
  /** `rootfs` for installed OS databases, `fs` for project folders (lockfiles) */
  target: 'fs' | 'rootfs';
  peerTest: string;
  peerCase: string | null;
  /** `src` is the path in the peer repository (and under `files/`), `as` where the scan sees it */
  files: { src: string; as: string }[];
  expect: [string, string][];
  /** the peer lists only the first few packages and a count */
  expectIsSubset?: true;
  expectCount?: number;
  /** the peer's own expectation, kept when `expect` was decided by the ecosystem's tool instead */
  peerExpect?: [string, string][];
  /** why `expect` differs from the peer's, or what normalisation applies */
  decision?: string;
  /** the case is not meaningful for a file-based scanner: why */
  exclude?: string;
  peerExpectsError?: true;
  /** the peer leaves development dependencies out: compare bulwark's production packages only */
  productionOnly?: true;
  /** a gap not closed yet: the harness checks it still differs, so closing it is noticed */
  knownGap?: string;
}

export interface CaseResult {
  peer: string;
  c: PeerCase;
  got: string[];
  want: string[];
  missing: string[];
  extra: string[];
  ok: boolean;
}

export function loadPeers(): { peer: string; cases: PeerCase[] }[] {
  return readdirSync(PEERS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({
      peer: d.name,
      cases: JSON.parse(readFileSync(path.join(PEERS_DIR, d.name, 'cases.json'), 'utf8')) as PeerCase[],
    }))
    .sort((a, b) => a.peer.localeCompare(b.peer));
}

/**
 * The comparison key. Go: module versions without the leading `v` (osv-scalibr writes them so),
 * and no `stdlib` entry from a go.mod's `go` line: that line is the minimum language version, not
 * the toolchain that builds the module, and `go list -m all` does not list it.
 */
function key(ecosystem: string, name: string, version: string): string {
  if (ecosystem === 'Go') return `${name}@${version.replace(/^v(?=\d)/, '')}`;
  return `${name}@${version}`;
}

function keep(c: PeerCase, name: string): boolean {
  return !(c.ecosystem === 'Go' && name === 'stdlib' && c.files.some((f) => f.as.endsWith('go.mod')));
}

export async function runCase(peer: string, c: PeerCase): Promise<CaseResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-peer-'));
  try {
    for (const f of c.files) {
      const dest = path.join(dir, f.as);
      mkdirSync(path.dirname(dest), { recursive: true });
      copyFileSync(path.join(PEERS_DIR, peer, 'files', f.src), dest);
    }
    const inv = await dirInventory(dir, c.target);
    const got = [
      ...new Set(
        inv.packages
          .filter((p) => p.ecosystem === c.ecosystem || p.type === 'os')
          .filter((p) => !(c.productionOnly && p.metadata?.dev === true))
          .filter((p) => keep(c, p.name))
          .map((p) => key(c.ecosystem, p.name, p.version)),
      ),
    ].sort();
    const want = [
      ...new Set(c.expect.filter(([n]) => keep(c, n)).map(([n, v]) => key(c.ecosystem, n, v))),
    ].sort();
    const missing = want.filter((k) => !got.includes(k));
    const extra = c.expectIsSubset ? [] : got.filter((k) => !want.includes(k));
    const countOk = c.expectCount === undefined || got.length === c.expectCount;
    return { peer, c, got, want, missing, extra, ok: missing.length === 0 && extra.length === 0 && countOk };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Cases matched per (OS or language) kind and ecosystem: the figures docs/inventory-conformance.md reports. */
export function figures(results: CaseResult[]): Map<string, { matched: number; total: number }> {
  const out = new Map<string, { matched: number; total: number }>();
  for (const r of results) {
    if (r.c.exclude) continue;
    for (const k of [`${r.peer} ${r.c.ecosystem}`, `all ${r.c.ecosystem}`, `all ${kind(r.c)}`]) {
      const f = out.get(k) ?? { matched: 0, total: 0 };
      f.total++;
      if (r.ok) f.matched++;
      out.set(k, f);
    }
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

export function kind(c: PeerCase): 'os' | 'language' {
  return c.target === 'rootfs' ? 'os' : 'language';
}
