/**
 * Vulnerability database benches (issue 2 "Performance"):
 *  - a full `db update` from a local HTTP server serving the shared OSV mirror (bound 30 s), and a
 *    second, conditional update (every feed answered 304) for comparison;
 *  - 10,000 `lookup` calls on the resulting database for realistic (ecosystem, name) pairs: every
 *    distinct package the database knows in the ecosystems a Debian 11 + npm/PyPI/Go image would
 *    ask about, then package names the database does not know (most of an image's packages have
 *    no advisory), on a freshly opened handle (bound 200 ms).
 * `npm run bench -- db` runs them through bench/run.ts; `benchDbUpdate` is the entry point.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MATCH_DB_BUILD } from '../src/match/index.js';
import { openVulnDb, updateDb } from '../src/vulndb/index.js';
import { startMirrorServer } from '../test/vulndb/helpers/mirror-server.js';
import { WORK } from './build-image.js';
import type { BenchResult } from './run.js';

/** The repository's byte-for-byte copy of the team's offline OSV mirror, so a fresh clone benches too. */
export const SHARED_MIRROR = path.resolve(import.meta.dirname, '..', 'test', 'fixtures', 'osv-mirror');

export interface UpdateTiming {
  dbPath: string;
  fullMs: number;
  conditionalMs: number;
  records: number;
}

/** Times a full update and then a conditional one from a local HTTP mirror of `mirrorDir`. */
export async function timeDbUpdate(
  mirrorDir = SHARED_MIRROR,
  workDir = path.join(WORK, 'db-bench'),
): Promise<UpdateTiming> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const dbPath = path.join(workDir, 'bulwark.db');
  const server = await startMirrorServer(mirrorDir);
  try {
    const opts = {
      dbPath,
      mirror: server.url,
      ...MATCH_DB_BUILD,
    };
    const t0 = performance.now();
    const full = await updateDb(opts);
    const fullMs = performance.now() - t0;
    const t1 = performance.now();
    await updateDb(opts);
    const conditionalMs = performance.now() - t1;
    const records = full.sources.filter((s) => s.kind === 'osv').reduce((n, s) => n + s.records, 0);
    return { dbPath, fullMs, conditionalMs, records };
  } finally {
    await server.close();
  }
}

/** Realistic lookup pairs: known packages of a Debian 11 + language-ecosystem image, then misses. */
export function lookupPairs(dbPath: string, count = 10_000): [string, string][] {
  const raw = new Database(dbPath, { readonly: true });
  const known = raw
    .prepare(
      `SELECT DISTINCT ecosystem, name FROM affected
       WHERE ecosystem IN ('Debian:11', 'npm', 'PyPI', 'Go', 'Maven') ORDER BY ecosystem, name`,
    )
    .raw()
    .all() as [string, string][];
  raw.close();
  const pairs: [string, string][] = known.slice(0, Math.floor(count / 2));
  const ecos = ['Debian:11', 'npm', 'PyPI', 'Go'];
  for (let i = 0; pairs.length < count; i++)
    pairs.push([ecos[i % ecos.length]!, `bench-unknown-package-${i}`]);
  return pairs;
}

export interface LookupTiming {
  lookups: number;
  ms: number;
  hits: number;
  records: number;
}

/** Times `count` lookups on a fresh handle (record memo and per-ecosystem name index empty). */
export function timeLookups(dbPath: string, count = 10_000): LookupTiming {
  const pairs = lookupPairs(dbPath, count);
  const db = openVulnDb(dbPath, { normalizeName: MATCH_DB_BUILD.normalizeName });
  try {
    let hits = 0;
    let records = 0;
    const t0 = performance.now();
    for (const [eco, name] of pairs) {
      const found = db.lookup(eco, name);
      if (found.length) hits += 1;
      records += found.length;
    }
    const ms = performance.now() - t0;
    return { lookups: pairs.length, ms, hits, records };
  } finally {
    db.close();
  }
}

export async function benchDbUpdate(): Promise<BenchResult[]> {
  const u = await timeDbUpdate();
  // Median of three runs, each on a fresh handle (empty record memo and name index): this machine
  // is shared, and one run can land on a garbage collection of the update's leftovers.
  const runs = [0, 1, 2].map(() => timeLookups(u.dbPath)).sort((a, b) => a.ms - b.ms);
  const l = runs[1]!;
  return [
    {
      name: 'db-update',
      metric: 'full db update from a local HTTP mirror (bound 30 s)',
      value: u.fullMs,
      ratio: u.fullMs / 30_000,
      target: 1,
      unit: 'ms',
      pass: u.fullMs < 30_000,
      notes: `${u.records} records; conditional re-update (all 304) ${u.conditionalMs.toFixed(0)} ms`,
    },
    {
      name: 'db-lookup',
      metric: `${l.lookups} lookups (bound 200 ms)`,
      value: l.ms,
      ratio: l.ms / 200,
      target: 1,
      unit: 'ms',
      pass: l.ms < 200,
      notes: `median of 3 fresh handles (${runs.map((r) => r.ms.toFixed(0)).join('/')} ms); ${l.hits} packages with advisories, ${l.records} records returned`,
    },
  ];
}
