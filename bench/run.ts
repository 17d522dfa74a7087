/**
 * `npm run bench`: every performance target of the issues, each reported as a ratio to a baseline
 * measured in the same run on the same machine (these machines are noisy), or against the absolute
 * bound the issue names. Prints a table and writes bench/.work/results.json.
 *
 *   npm run bench                # all
 *   npm run bench -- image db    # only benches whose name contains a word
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WORK } from './build-image.js';

export interface BenchResult {
  name: string;
  /** what was measured, e.g. "cold scan / zlib inflate" */
  metric: string;
  value: number;
  baseline?: number;
  /** value / baseline, or value / bound for absolute targets */
  ratio: number;
  /** the target the ratio must not exceed */
  target: number;
  unit: string;
  pass: boolean;
  notes?: string;
}

type Bench = { name: string; run: () => Promise<BenchResult[]> };

/** Runs one bench module's `main` in a fresh Node process so JIT, caches and RSS don't leak across. */
function child(module: string, fn: string, args: string[] = []): BenchResult[] {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'child.ts'), module, fn, ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as BenchResult[];
}

const BENCHES: Bench[] = [
  { name: 'image', run: async () => child('./image-walk.ts', 'benchImageScan') },
  { name: 'cli-rescan', run: async () => child('./cli-rescan.ts', 'benchCliRescan') },
  { name: 'image-memory', run: async () => child('./image-memory.ts', 'benchBigLayerMemory') },
  { name: 'db', run: async () => child('./db-update.ts', 'benchDbUpdate') },
  { name: 'match', run: async () => child('./match.ts', 'benchMatch') },
  { name: 'k8s', run: async () => child('./k8s-checks.ts', 'benchK8sChecks') },
  { name: 'npm-inventory', run: async () => child('./npm-inventory.ts', 'benchNpmInventory') },
  { name: 'java', run: async () => child('./java-jar.ts', 'benchFatJar') },
  { name: 'secrets', run: async () => child('./secrets.ts', 'benchSecrets') },
  { name: 'sign', run: async () => child('./sign.ts', 'benchSign') },
  { name: 'netpol', run: async () => child('./netpol.ts', 'benchNetpol') },
  { name: 'admission', run: async () => child('./admission.ts', 'benchAdmission') },
  { name: 'audit', run: async () => child('./audit.ts', 'benchAudit') },
  { name: 'notify', run: async () => child('./notify.ts', 'benchNotify') },
  { name: 'dashboard', run: async () => child('./dashboard.ts', 'benchDashboard') },
];

async function main(): Promise<void> {
  const words = process.argv.slice(2);
  const selected = BENCHES.filter((b) => words.length === 0 || words.some((w) => b.name.includes(w)));
  const results: BenchResult[] = [];
  for (const b of selected) {
    process.stderr.write(`[bench] ${b.name}\n`);
    try {
      results.push(...(await b.run()));
    } catch (e) {
      results.push({
        name: b.name,
        metric: 'failed to run',
        value: NaN,
        ratio: NaN,
        target: NaN,
        unit: '',
        pass: false,
        notes: (e as Error).message.split('\n')[0] ?? '',
      });
    }
  }
  const rows = results.map((r) => [
    r.name,
    r.metric,
    `${Number.isFinite(r.value) ? r.value.toFixed(r.unit === 'ms' ? 0 : 1) : '-'} ${r.unit}`,
    r.baseline !== undefined ? `${r.baseline.toFixed(r.unit === 'ms' ? 0 : 1)} ${r.unit}` : '-',
    Number.isFinite(r.ratio) ? r.ratio.toFixed(3) : '-',
    `<= ${r.target}`,
    r.pass ? 'PASS' : 'FAIL',
  ]);
  const header = ['bench', 'metric', 'value', 'baseline', 'ratio', 'target', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  for (const r of results) if (r.notes) console.log(`  ${r.name}: ${r.notes}`);
  mkdirSync(WORK, { recursive: true });
  writeFileSync(path.join(WORK, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.exitCode = results.every((r) => r.pass) ? 0 : 1;
}

await main();
