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
import { ecosystemBase, normalizePackageName } from '../src/ecosystems/index.js';
import { matchInventory } from '../src/match/index.js';
import { buildDbFromDirectory, openVulnDb } from '../src/vulndb/index.js';
import type { BenchResult } from './run.js';
import { WORK } from './build-image.js';

const MIRROR = path.resolve(import.meta.dirname, '..', '..', 'shared', 'vulndata', 'osv-mirror');

export async function ensureFullDb(): Promise<string> {
  const dbPath = path.join(WORK, 'full-mirror.db');
  if (!existsSync(dbPath)) {
    await buildDbFromDirectory(MIRROR, dbPath, { normalizeName: normalizePackageName, epss: false });
  }
  return dbPath;
}

function samplePackages(dbPath: string, n: number): Package[] {
  const raw = new Database(dbPath, { readonly: true });
  const rows = raw
    .prepare(
      `select a.ecosystem as ecosystem, a.name as name, r.json as json from affected a join records r on r.id = a.record_id
       where a.ecosystem in ('Debian:11', 'npm', 'PyPI', 'Go', 'Maven') group by a.ecosystem, a.name`,
    )
    .all() as { ecosystem: string; name: string; json: string }[];
  raw.close();
  const pkgs: Package[] = [];
  for (let round = 0; pkgs.length < n; round++) {
    for (const row of rows) {
      if (pkgs.length >= n) break;
      const rec = JSON.parse(row.json) as {
        affected?: { package?: { name?: string }; ranges?: { events: Record<string, string>[] }[] }[];
      };
      const events = (rec.affected ?? []).flatMap((a) => (a.ranges ?? []).flatMap((r) => r.events));
      const candidates = events.flatMap((e) => Object.values(e)).filter((v) => v !== '0');
      const version = candidates[round % Math.max(1, candidates.length)] ?? '1.0.0';
      const base = ecosystemBase(row.ecosystem);
      const name = (rec.affected ?? []).find((a) => a.package?.name)?.package?.name ?? row.name;
      pkgs.push({
        name,
        version,
        ecosystem: base,
        type: base === 'Debian' ? 'os' : 'lang',
        purl: `pkg:generic/${encodeURIComponent(name)}@${encodeURIComponent(version)}`,
        location: `bench/${round}`,
      });
    }
    if (rows.length === 0) break;
  }
  return pkgs;
}

export async function benchMatch(): Promise<BenchResult[]> {
  const dbPath = await ensureFullDb();
  const pkgs = samplePackages(dbPath, 10_000);
  const inv: Inventory = {
    target: { kind: 'fs', name: 'bench' },
    os: { family: 'debian', name: 'Debian GNU/Linux', version: '11', ecosystem: 'Debian:11' },
    packages: pkgs,
    warnings: [],
  };
  // three fresh handles (records are parsed per handle); the median wall and CPU time count
  const runs: { ms: number; cpuMs: number; findings: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const db = openVulnDb(dbPath, { normalizeName: normalizePackageName });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const result = matchInventory(inv, db);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    runs.push({ ms, cpuMs: (c.user + c.system) / 1000, findings: result.findings.length });
    db.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const ms = median(runs.map((r) => r.ms));
  const cpuMs = median(runs.map((r) => r.cpuMs));
  const result = { findings: { length: runs[0]!.findings } };
  return [
    {
      name: 'match',
      metric: `match ${pkgs.length} packages (bound 200 ms)`,
      value: ms,
      ratio: ms / 200,
      target: 1,
      unit: 'ms',
      pass: ms < 200,
      notes: `${result.findings.length} findings; median of 3 fresh handles: wall ${runs.map((r) => r.ms.toFixed(0)).join('/')} ms, CPU ${cpuMs.toFixed(0)} ms`,
    },
  ];
}
