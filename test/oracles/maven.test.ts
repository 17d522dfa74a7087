import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionScheme } from '../../src/ecosystems/index.js';
import { assertAgreement, makePairs, ORACLE_DIR, PAIRS, requireTool, Rng, runOracle } from './harness.js';

const scheme = versionScheme('Maven')!;
const JAR = '/usr/share/maven/lib/maven-artifact-3.x.jar';

/** Rows from Maven's documented ordering plus its known corner cases. */
const CURATED: Array<[string, string]> = [
  ['1', '1.0'],
  ['1.0.0', '1-ga'],
  ['1-final', '1-release'],
  ['1-alpha-1', '1-alpha1'],
  ['1-a1', '1-alpha-1'],
  ['1-b1', '1-beta-1'],
  ['1-m1', '1-milestone-1'],
  ['1-cr1', '1-rc1'],
  ['1-SNAPSHOT', '1'],
  ['1-snapshot', '1-rc'],
  ['1-sp', '1'],
  ['1-sp1', '1-abc'],
  ['1-abc', '1-xyz'],
  ['1.1', '1-1'],
  ['1-1', '1-sp'],
  ['1.0.0.X1', '1.0.0-X2'],
  ['1a', '1-a'],
  ['1.a', '1-a'],
  ['1-a', '1'],
  ['2.0.0-alpha', '2.0.0.alpha'],
  ['1.0-beta-2', '1.0-beta-10'],
  ['1.0RC1', '1.0-rc-1'],
  ['1.0.Final', '1.0'],
  ['1.0.0.RELEASE', '1.0.0'],
  ['2.17.1', '2.15.0'],
  ['1.0-20230101.123456-1', '1.0-SNAPSHOT'],
  ['1.2147483648', '1.2147483647'],
  ['1.9223372036854775808', '1.9223372036854775807'],
  ['1.99999999999999999999999', '1.100000000000000000000000'],
  ['1..1', '1.0.1'],
  ['1--1', '1-0-1'],
  ['1.', '1'],
  ['-1', '0-1'],
  ['1-0.0-a', '1-a'],
  ['1-1.foo-bar1baz-.1', '1-1.foo-bar-1-baz-0.1'],
  ['a', 'b'],
  ['1.0.0.0.0.0.1', '1'],
];

function genMaven(rng: Rng): string {
  const quals = [
    'alpha',
    'beta',
    'milestone',
    'rc',
    'cr',
    'snapshot',
    'ga',
    'final',
    'release',
    'sp',
    'a',
    'b',
    'm',
    'SNAPSHOT',
    'RC',
    'Final',
    'foo',
    'jre',
    'android',
    'x',
    'GA',
  ];
  let v = rng.chance(0.95) ? rng.num() : rng.pick(quals);
  const n = rng.int(6);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.4) v += `.${rng.num()}`;
    else if (r < 0.6) v += `-${rng.chance(0.5) ? rng.pick(quals) : rng.num()}`;
    else if (r < 0.75) v += rng.pick(['.', '-', '']) + rng.pick(quals);
    else if (r < 0.9) v += rng.num();
    else v += rng.pick(['.', '-', '..', '--', '-0', '.0']);
  }
  return v;
}

function mutateMaven(rng: Rng, v: string): string {
  const ops = [
    () => v + rng.pick(['.0', '-0', '-SNAPSHOT', '-ga', '.1', '-1', 'a1', '-sp', '.final', '-', '.']),
    () => v.slice(0, -1),
    () => v.replace(/[0-9]+/, (d) => rng.pick([`0${d}`, '0', d, `${d}0`])),
    () => v.replace(/[a-z]+/, (c) => c.toUpperCase()),
    () => v.replace(/[.-]/, rng.pick(['.', '-', ''])),
  ];
  return rng.pick(ops)();
}

describe("Maven versions against Maven's ComparableVersion (maven-artifact)", () => {
  it(`agrees on the curated table and ${PAIRS} generated pairs`, () => {
    requireTool('/usr/bin/java', 'default-jdk-headless');
    requireTool(JAR, 'maven');
    const rng = new Rng(0x3a7e);
    const gen = (): string => genMaven(rng);
    const generated = makePairs(rng, gen, (v) => mutateMaven(rng, v), PAIRS * 2);
    // ComparableVersion accepts any string; bulwark accepts printable ASCII, which covers these.
    const valid = generated.filter(([a, b]) => scheme.isValid(a) && scheme.isValid(b)).slice(0, PAIRS);
    assert.ok(valid.length >= PAIRS, `only ${valid.length} valid pairs generated`);
    const pairs = [...CURATED, ...valid];
    const expected = runOracle(
      '/usr/bin/java',
      ['-cp', JAR, `${ORACLE_DIR}MavenOracle.java`],
      pairs,
      'maven',
    );
    assertAgreement(scheme, pairs, expected);
  });
});
