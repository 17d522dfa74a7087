/**
 * Matching 10,000 packages against the database built from the whole shared mirror (issue target:
 * under 200 ms). Packages are real (ecosystem, name) pairs from the database with versions that
 * sit inside, below and above the advisories' ranges, so range evaluation is exercised.
 * Baseline in the same run: JSON.parse of the records the lookups return (the floor for any
 * matcher that reads records at all).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Inventory, Package } from '../src/core/types.js';
import { compareVersions, ecosystemBase, normalizePackageName } from '../src/ecosystems/index.js';
import { MATCH_DB_BUILD, matchInventory } from '../src/match/index.js';
import { buildDbFromDirectory, dbStatus, openVulnDb } from '../src/vulndb/index.js';
import type { BenchResult } from './run.js';
import { WORK } from './build-image.js';

// the repository's byte-for-byte copy of the team's offline OSV mirror (test/fixtures/osv-mirror/FIXTURE.md)
const MIRROR = path.resolve(import.meta.dirname, '..', 'test', 'fixtures', 'osv-mirror');

export async function ensureFullDb(): Promise<string> {
  const dbPath = path.join(WORK, 'full-mirror.db');
  // rebuilt when this bulwark derives its rows another way (a stale bench database would mislead)
  if (!existsSync(dbPath) || dbStatus(dbPath).builtWith !== MATCH_DB_BUILD.normalizerId) {
    await buildDbFromDirectory(MIRROR, dbPath, { ...MATCH_DB_BUILD, epss: false });
  }
  return dbPath;
}

/**
 * `affectedEvery`: one package in that many sits on an advisory's event versions (mostly affected);
 * the others carry the highest fixed version their advisory names (patched, as most packages of a
 * maintained image are, though other advisories of the same package may still apply).
 */
export function samplePackages(dbPath: string, n: number, affectedEvery: number): Package[] {
  const raw = new Database(dbPath, { readonly: true });
  const rows = raw
    .prepare(
      `select a.ecosystem as ecosystem, a.name as name, r.json as json from affected a join records r on r.id = a.record_id
       where a.ecosystem in ('Debian:11', 'npm', 'PyPI', 'Go', 'Maven') and r.withdrawn is null
       order by a.ecosystem, a.name, r.id`,
    )
    .all() as { ecosystem: string; name: string; json: string }[];
  raw.close();
  // every advisory event of each (ecosystem, name), across all its records
  const byName = new Map<string, { ecosystem: string; name: string; events: string[]; fixed: string[] }>();
  for (const row of rows) {
    const rec = JSON.parse(row.json) as {
      affected?: {
        package?: { name?: string; ecosystem?: string };
        ranges?: { type: string; events: Record<string, string>[] }[];
      }[];
    };
    const key = `${row.ecosystem}\0${row.name}`;
    let entry = byName.get(key);
    for (const a of rec.affected ?? []) {
      if (a.package?.ecosystem !== row.ecosystem) continue;
      entry ??= { ecosystem: row.ecosystem, name: a.package?.name ?? row.name, events: [], fixed: [] };
      // GIT ranges name commits, never an installed version
      for (const e of (a.ranges ?? []).filter((r) => r.type !== 'GIT').flatMap((r) => r.events)) {
        for (const v of Object.values(e)) if (v !== '0') entry.events.push(v);
        if (e.fixed) entry.fixed.push(e.fixed);
      }
    }
    if (entry) byName.set(key, entry);
  }
  const names = [...byName.values()];
  const pkgs: Package[] = [];
  for (let round = 0; pkgs.length < n && names.length; round++) {
    for (const e of names) {
      if (pkgs.length >= n) break;
      let version: string;
      const onEvent = pkgs.length % affectedEvery === 0 || e.fixed.length === 0;
      if (onEvent) version = e.events[round % Math.max(1, e.events.length)] ?? '1.0.0';
      else {
        // the highest version any advisory of the package calls fixed: a patched package
        version = e.fixed.reduce((a, b) => {
          try {
            return compareVersions(e.ecosystem, a, b) >= 0 ? a : b;
          } catch {
            return a;
          }
        });
      }
      const base = ecosystemBase(e.ecosystem);
      pkgs.push({
        name: e.name,
        version,
        ecosystem: base,
        type: base === 'Debian' ? 'os' : 'lang',
        purl: `pkg:generic/${encodeURIComponent(e.name)}@${encodeURIComponent(version)}`,
        location: `bench/${round}`,
      });
    }
  }
  return pkgs;
}

function timeMatch(dbPath: string, pkgs: Package[]) {
  const inv: Inventory = {
    target: { kind: 'fs', name: 'bench' },
    os: { family: 'debian', name: 'Debian GNU/Linux', version: '11', ecosystem: 'Debian:11' },
    packages: pkgs,
    warnings: [],
  };
  // Six fresh handles (candidates and records are parsed per handle). The first also pays for
  // compiling the matcher's code in this process (a CLI scan pays it once); it is reported on its
  // own, and the median of the other five counts, as benchmarks usually discard warm-up runs.
  const runs: { ms: number; cpuMs: number; findings: number }[] = [];
  for (let i = 0; i < 6; i++) {
    const db = openVulnDb(dbPath, { normalizeName: normalizePackageName });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = matchInventory(inv, db);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    runs.push({ ms, cpuMs: (c.user + c.system) / 1000, findings: result.findings.length });
    db.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const measured = runs.slice(1);
  return {
    ms: median(measured.map((r) => r.ms)),
    cpuMs: median(measured.map((r) => r.cpuMs)),
    firstMs: runs[0]!.ms,
    findings: runs[0]!.findings,
    walls: measured.map((r) => r.ms.toFixed(0)).join('/'),
  };
}

/**
 * The same database plus NVD rows (the demo's NVD feed files, recorded records): the rating
 * look-ups then run for every CVE of the scan (one json_each statement per table), not skipped as
 * on a database without ratings.
 */
async function ensureRatedDb(): Promise<string> {
  const dbPath = path.join(WORK, 'full-mirror-nvd.db');
  if (!existsSync(dbPath) || dbStatus(dbPath).builtWith !== MATCH_DB_BUILD.normalizerId) {
    await buildDbFromDirectory(MIRROR, dbPath, {
      ...MATCH_DB_BUILD,
      epss: false,
      debianTracker: false,
      nvd: { feeds: path.resolve(import.meta.dirname, '..', 'data', 'demo', 'osv', 'nvd') },
    });
  }
  return dbPath;
}

export async function benchMatch(): Promise<BenchResult[]> {
  const dbPath = await ensureFullDb();
  const typical = timeMatch(dbPath, samplePackages(dbPath, 10_000, 10));
  const worst = timeMatch(dbPath, samplePackages(dbPath, 10_000, 1));
  const ratedPath = await ensureRatedDb();
  const rated = timeMatch(ratedPath, samplePackages(ratedPath, 10_000, 10));
  // the plain database again, right after: the ratio compares runs under the same machine load
  const again = timeMatch(dbPath, samplePackages(dbPath, 10_000, 10));
  const plain = Math.min(typical.ms, again.ms);
  return [
    {
      name: 'match-ratings',
      metric: 'match 10000 packages with NVD ratings in the database / without (same run)',
      value: rated.ms,
      baseline: plain,
      ratio: rated.ms / plain,
      target: 1.25,
      unit: 'ms',
      pass: rated.ms / plain <= 1.25,
      notes: `${rated.findings} findings; median of ${rated.walls} ms (CPU ${rated.cpuMs.toFixed(0)} ms); without ratings ${typical.walls} then ${again.walls} ms (CPU ${typical.cpuMs.toFixed(0)}, ${again.cpuMs.toFixed(0)} ms)`,
    },
    {
      name: 'match',
      metric: 'match 10000 packages, 1 in 10 on advisory versions (bound 200 ms)',
      value: typical.ms,
      ratio: typical.ms / 200,
      target: 1,
      unit: 'ms',
      pass: typical.ms < 200,
      notes: `${typical.findings} findings; median of ${typical.walls} ms (CPU ${typical.cpuMs.toFixed(0)} ms); the first run in this process, compiling the code, ${typical.firstMs.toFixed(0)} ms. Worst case, every package on advisory versions: ${worst.findings} findings, ${worst.ms.toFixed(0)} ms (CPU ${worst.cpuMs.toFixed(0)} ms)`,
    },
  ];
}
