import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionScheme } from '../../src/ecosystems/index.js';
import { assertAgreement, makePairs, ORACLE_DIR, PAIRS, requireTool, Rng, runOracle } from './harness.js';

const scheme = versionScheme('Red Hat')!;

const CURATED: Array<[string, string]> = [
  ['1.0', '1.0-1'],
  ['1.0-1', '1.0-1.el9'],
  ['0:1.0-1', '1.0-1'],
  ['1:1.0-1', '2.0-1'],
  ['1.0~rc1-1', '1.0-1'],
  ['1.0^git1-1', '1.0-1'],
  ['1.0^git1-1', '1.0.1-1'],
  ['1.0~rc1^git1', '1.0~rc1'],
  ['1.0^', '1.0'],
  ['1.0a', '1.0'],
  ['1.0a', '1.0.1'],
  ['1.0.a', '1.0a'],
  ['1..0', '1.0'],
  ['1_0', '1.0'],
  ['1.0-1.el8_9', '1.0-1.el8'],
  ['2.28-225.el9_3.1', '2.28-225.el9'],
  ['3.0.7-24.el9', '3.0.7-25.el9'],
  ['1.01', '1.1'],
  ['1.99999999999999999999999', '1.100000000000000000000000'],
  ['a', '1'],
  ['1.0.0', '1.0'],
  ['1.0~~', '1.0~'],
  ['1.0~', '1.0^'],
  [':1.0-1', '0:1.0-1'],
  ['10:1-1', '9:9-9'],
];

function genRpmPart(rng: Rng): string {
  let v = rng.chance(0.9) ? rng.num() : rng.pick(['a', 'git', 'rc']);
  const n = rng.int(6);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.4) v += rng.pick(['.', '.', '_', '+']) + rng.num();
    else if (r < 0.55) v += rng.pick(['~', '^']) + rng.pick(['rc', 'git', 'beta', '', '1']);
    else if (r < 0.75) v += rng.pick(['a', 'b', 'el', 'fc', 'Z', 'git', 'rc', 'p']);
    else if (r < 0.9) v += rng.num();
    else v += rng.pick(['.', '~', '^', '..', '+']);
  }
  return v;
}

function genRpm(rng: Rng): string {
  let v = genRpmPart(rng);
  if (rng.chance(0.25)) v = `${rng.pick(['0', '1', '2', '10', '01', ''])}:${v}`;
  if (rng.chance(0.7)) v += `-${genRpmPart(rng)}`;
  return v;
}

function mutateRpm(rng: Rng, v: string): string {
  const ops = [
    () => v + rng.pick(['~rc1', '^git1', '.0', '0', 'a', '.1', '~', '^', '-1', '.']),
    () => v.slice(0, -1),
    () => v.replace(/[0-9]+/, (d) => rng.pick([`0${d}`, '0', d, `${d}0`])),
    () => (v.includes(':') ? v.replace(/^[0-9]*:/, '') : `0:${v}`),
    () => v.replace(/[a-z]/, (c) => c.toUpperCase()),
    () => v.replace(/[.~^_+]/, rng.pick(['.', '~', '^', '_', ''])),
    () => v.replace(/-[^-]*$/, ''),
  ];
  return rng.pick(ops)();
}

describe('rpm versions against python3-rpm (rpm.labelCompare)', () => {
  it(`agrees on the curated table and ${PAIRS} generated pairs`, () => {
    requireTool('/usr/bin/python3', 'python3');
    const rng = new Rng(0x0e1f);
    const gen = (): string => genRpm(rng);
    const pool = Array.from({ length: 2000 }, gen);
    assert.deepEqual(
      pool.filter((v) => !scheme.isValid(v)),
      [],
    );
    const generated = makePairs(rng, gen, (v) => mutateRpm(rng, v), PAIRS * 2);
    const valid = generated.filter(([a, b]) => scheme.isValid(a) && scheme.isValid(b)).slice(0, PAIRS);
    assert.ok(valid.length >= PAIRS, `only ${valid.length} valid pairs generated`);
    const pairs = [...CURATED, ...valid];
    const expected = runOracle('/usr/bin/python3', [`${ORACLE_DIR}rpm_oracle.py`], pairs, 'python3-rpm');
    assertAgreement(scheme, pairs, expected);
  });
});
