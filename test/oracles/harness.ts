import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { VersionScheme } from '../../src/ecosystems/index.js';

export const ORACLE_DIR = new URL('.', import.meta.url).pathname;
export const PAIRS = 10_000;

/** Fails the test (never skips) when a reference tool is missing, naming the Debian package. */
export function requireTool(path: string, debianPackage: string): void {
  assert.ok(existsSync(path), `${path} is missing: install the Debian package ${debianPackage}`);
}

/** Runs one oracle process over all pairs; returns one answer (-1, 0, 1 or !) per pair. */
export function runOracle(
  cmd: string,
  args: string[],
  pairs: Array<[string, string]>,
  pkg: string,
): string[] {
  const input = pairs.map(([a, b]) => `${a}\t${b}\n`).join('');
  const res = spawnSync(cmd, args, {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 300_000,
  });
  assert.equal(
    res.status,
    0,
    `oracle ${cmd} ${args.join(' ')} failed (is the Debian package ${pkg} installed?): ${res.error?.message ?? ''} ${res.stderr}`,
  );
  const lines = res.stdout.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, pairs.length, 'oracle answered a different number of lines');
  return lines;
}

/** Our answer in the oracle's vocabulary. */
export function ours(scheme: VersionScheme, a: string, b: string): string {
  if (!scheme.isValid(a) || !scheme.isValid(b)) return '!';
  return String(scheme.compare(a, b));
}

/** Asserts zero disagreements; on failure lists the first 20. */
export function assertAgreement(
  scheme: VersionScheme,
  pairs: Array<[string, string]>,
  expected: string[],
): void {
  // A generator that only produced equal (or only invalid) pairs would prove nothing.
  for (const answer of ['-1', '0', '1']) {
    const share = expected.filter((e) => e === answer).length / expected.length;
    assert.ok(share > 0.05, `the oracle answered ${answer} for only ${(share * 100).toFixed(1)}% of pairs`);
  }
  const bad: string[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const [a, b] = pairs[i]!;
    const got = ours(scheme, a, b);
    if (got !== expected[i])
      bad.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}: oracle ${expected[i]}, bulwark ${got}`);
    // A canonical text must be equal exactly when the reference calls the versions equal.
    if (scheme.canonical && expected[i] !== '!') {
      const same = scheme.canonical(a) === scheme.canonical(b);
      if (same !== (expected[i] === '0'))
        bad.push(
          `${JSON.stringify(a)} vs ${JSON.stringify(b)}: oracle ${expected[i]}, canonical texts equal: ${same}`,
        );
    }
  }
  assert.equal(
    bad.length,
    0,
    `${bad.length} disagreements of ${pairs.length}:\n${bad.slice(0, 20).join('\n')}`,
  );
}

/** Deterministic generator (mulberry32) so a failing pair can be reproduced. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  /** a number: usually small, sometimes with leading zeros or very long */
  num(): string {
    const r = this.next();
    if (r < 0.55) return String(this.int(10));
    if (r < 0.8) return String(this.int(100));
    if (r < 0.88) return `0${this.int(10)}`;
    if (r < 0.94) return String(this.int(100000));
    if (r < 0.97) return '00';
    let s = String(1 + this.int(9));
    const n = 10 + this.int(25);
    while (s.length < n) s += String(this.int(10));
    return s;
  }
}

/**
 * Pairs made from a pool of generated versions: many share a prefix with a neighbour (the
 * interesting comparisons), some are equal, the rest random.
 */
export function makePairs(
  rng: Rng,
  gen: () => string,
  mutate: (v: string) => string,
  n: number,
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  while (pairs.length < n) {
    const a = gen();
    const r = rng.next();
    const b = r < 0.45 ? mutate(a) : r < 0.55 ? a : gen();
    pairs.push(rng.chance(0.5) ? [a, b] : [b, a]);
  }
  return pairs;
}
