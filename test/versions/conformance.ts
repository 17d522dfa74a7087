import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { versionScheme, type VersionScheme } from '../../src/ecosystems/index.js';
import { ours, requireTool, Rng, runOracle } from '../oracles/harness.js';

const ROOT = new URL('../../', import.meta.url).pathname;
export const HERE = new URL('.', import.meta.url).pathname;

/** Random pairs per ecosystem, on top of the fixture pairs. */
export const RANDOM_PAIRS = 4000;

/** How a reference implementation is run: one process reads every `A<TAB>B` line. */
export interface Reference {
  ecosystem: string;
  /** what answers, for messages and the docs table */
  name: string;
  cmd: string;
  args: string[];
  /** Debian package that provides it */
  pkg: string;
  /** files holding the peers' fixture pairs (tables beside the schemes, curated oracle tables) */
  fixtureFiles: string[];
  /** peers' Go test tables under test/fixtures/versions/ (Trivy's go-rpm-version, go-deb-version) */
  goFiles?: string[];
  /**
   * fragments a random version is glued together from; `#` is replaced by a random number (leading
   * zeros and 30-digit numbers included), `%` by a plain small one
   */
  fragments: string[];
  /** fragments that mostly make a version invalid, picked for one fragment in ten */
  rare?: string[];
  /** how a random version starts (`#` and `%` as above) */
  starts: string[];
  /** starts that make a version invalid, picked for one version in ten */
  rareStarts?: string[];
  /** optional final touch (a prefix, a suffix) */
  finish?: (rng: Rng, v: string) => string;
  /** at most this many fragments after the start (5 unless told) */
  maxFragments?: number;
  /** random pairs, when the reference is slower than one process per batch (RANDOM_PAIRS otherwise) */
  random?: number;
}

/**
 * Pairs written as `['a', 'b']` or `['a', '<', 'b']` in the given test sources: the tables of the
 * ecosystems' own test vectors (node-semver's fixtures, Composer's tests, NuGet.Versioning's tests,
 * apk-tools' data, ...) that the scheme tests and the curated oracle tables already hold.
 */
export function fixturePairs(files: string[]): Array<[string, string]> {
  const str = String.raw`'((?:[^'\\\n]|\\.)*)'`;
  const re = new RegExp(String.raw`\[\s*${str}\s*,\s*(?:'[<=>]'\s*,\s*)?${str}\s*,?\s*\]`, 'g');
  const unquote = (s: string): string =>
    s.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(ROOT + f, 'utf8').matchAll(re)) {
      const a = unquote(m[1]!);
      const b = unquote(m[2]!);
      if (/[\t\n]/.test(a + b)) continue;
      const k = `${a}\t${b}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push([a, b]);
    }
  }
  return out;
}

/**
 * Version strings of Go test tables: `{"a", OP, "b"}` and `{"a", "b", ...}` rows give the pair,
 * `{"a", Version{...}}` parse rows give `a` against itself and against `1`. The tables' own
 * expectations are not used: the reference decides.
 */
export function goTablePairs(files: string[]): Array<[string, string]> {
  const str = String.raw`"((?:[^"\\\n]|\\.)*)"`;
  const pair = new RegExp(String.raw`\{\s*${str}\s*,\s*(?:[A-Z]+\s*,\s*)?${str}`, 'g');
  const single = new RegExp(String.raw`\{\s*${str}\s*,\s*Version\{`, 'g');
  const unquote = (q: string): string =>
    q.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  const add = (a: string, b: string): void => {
    const k = `${a}\t${b}`;
    if (/[\t\n]/.test(a + b) || seen.has(k)) return;
    seen.add(k);
    out.push([a, b]);
  };
  for (const f of files) {
    const text = readFileSync(`${ROOT}test/fixtures/versions/${f}`, 'utf8');
    for (const m of text.matchAll(pair)) add(unquote(m[1]!), unquote(m[2]!));
    for (const m of text.matchAll(single)) {
      add(unquote(m[1]!), unquote(m[1]!));
      add(unquote(m[1]!), '1');
    }
  }
  return out;
}

function fill(rng: Rng, frag: string): string {
  return frag.replace(/[#%]/g, (c) => (c === '#' ? rng.num() : String(rng.int(30))));
}

function fragment(rng: Rng, ref: Reference): string {
  return fill(rng, rng.pick(ref.rare && rng.chance(0.1) ? ref.rare : ref.fragments));
}

export function randomVersion(rng: Rng, ref: Reference): string {
  let v = fill(rng, rng.pick(ref.rareStarts && rng.chance(0.1) ? ref.rareStarts : ref.starts));
  const n = rng.int((ref.maxFragments ?? 4) + 1);
  for (let i = 0; i < n; i++) v += fragment(rng, ref);
  return ref.finish ? ref.finish(rng, v) : v;
}

/** Mostly near-misses of one another (a shared prefix), some equal, some unrelated. */
export function randomPairs(rng: Rng, ref: Reference, n: number): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  while (pairs.length < n) {
    const a = randomVersion(rng, ref);
    const r = rng.next();
    let b: string;
    if (r < 0.1) b = a;
    else if (r < 0.55) b = a + fragment(rng, ref);
    else if (r < 0.7 && a.length > 1) b = a.slice(0, rng.int(a.length));
    else if (r < 0.8) b = a.replace(/[0-9]+/, () => fill(rng, rng.pick(['#', '0#', '0', '00'])));
    else b = randomVersion(rng, ref);
    pairs.push(rng.chance(0.5) ? [a, b] : [b, a]);
  }
  return pairs;
}

/**
 * Malformed candidates every reference is asked about (each against itself and against `1`):
 * what the ecosystem's own tool rejects, bulwark must reject; what it orders, bulwark must order
 * the same way.
 */
export const MALFORMED = [
  '',
  ' ',
  '  ',
  '1.0-',
  '1.0.',
  '.1',
  '-1',
  '1..0',
  '1.0 ',
  ' 1.0',
  '1 0',
  'v1.0',
  '=1.0',
  '1.0\f',
  '1.0\u00a0',
  '1.0-1-',
  '1:',
  ':1',
  'a',
  '~',
  '^',
  '1.0+',
  '1.0_',
  'dev-',
  '1.0@dev',
  '1.0\u00e9',
  '\u0661',
  '1.0.0.0.0',
];

export function malformedPairs(): Array<[string, string]> {
  return MALFORMED.flatMap((m): Array<[string, string]> => [
    [m, m],
    [m, '1'],
  ]);
}

export interface Outcome {
  fixtures: number;
  malformed: number;
  random: number;
  disagreements: string[];
  /** the malformed candidates the reference rejects */
  rejected: string[];
}

/** Runs the reference over the fixture pairs plus seeded random pairs and lists every disagreement. */
export function conformance(ref: Reference, seed: number, random = ref.random ?? RANDOM_PAIRS): Outcome {
  requireTool(ref.cmd, ref.pkg);
  const scheme: VersionScheme = versionScheme(ref.ecosystem)!;
  assert.ok(scheme, `no scheme for ${ref.ecosystem}`);
  const fixtures = [...fixturePairs(ref.fixtureFiles), ...goTablePairs(ref.goFiles ?? [])];
  const rng = new Rng(seed);
  const pairs = [...fixtures, ...malformedPairs(), ...randomPairs(rng, ref, random)];
  const expected = runOracle(ref.cmd, ref.args, pairs, ref.pkg);
  // A generator whose pairs were all equal, or all invalid, would prove nothing.
  for (const answer of ['-1', '0', '1']) {
    const share = expected.filter((e) => e === answer).length / expected.length;
    assert.ok(share > 0.05, `${ref.name} answered ${answer} for only ${(share * 100).toFixed(1)}% of pairs`);
  }
  const disagreements: string[] = [];
  for (let i = 0; i < pairs.length; i++) {
    const [a, b] = pairs[i]!;
    const got = ours(scheme, a, b);
    if (expected[i] === '~') continue; // the reference gives this pair no order
    if (got !== expected[i])
      disagreements.push(
        `${JSON.stringify(a)} vs ${JSON.stringify(b)}: ${ref.name} ${expected[i]}, bulwark ${got}`,
      );
    // A canonical text must be equal exactly when the reference calls the versions equal.
    else if (
      scheme.canonical &&
      got !== '!' &&
      (scheme.canonical(a) === scheme.canonical(b)) !== (got === '0')
    )
      disagreements.push(
        `${JSON.stringify(a)} vs ${JSON.stringify(b)}: canonical texts disagree with ${got}`,
      );
  }
  const rejected = MALFORMED.filter((_m, k) => expected[fixtures.length + 2 * k] === '!');
  return { fixtures: fixtures.length, malformed: MALFORMED.length, random, disagreements, rejected };
}

/** Asserts zero disagreements and that the reference answered each of -1, 0, 1 and (if any) !. */
export function assertConformance(ref: Reference, seed: number): Outcome {
  const out = conformance(ref, seed);
  assert.ok(out.fixtures > 10, `only ${out.fixtures} fixture pairs found in ${ref.fixtureFiles.join(', ')}`);
  assert.equal(
    out.disagreements.length,
    0,
    `${out.disagreements.length} disagreements with ${ref.name} of ${out.fixtures + 2 * out.malformed + out.random}:\n${out.disagreements.slice(0, 25).join('\n')}`,
  );
  return out;
}
