import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionScheme } from '../../src/ecosystems/index.js';
import { assertAgreement, makePairs, ORACLE_DIR, PAIRS, requireTool, Rng, runOracle } from './harness.js';

const scheme = versionScheme('RubyGems')!;

const CURATED: Array<[string, string]> = [
  ['1.0', '1'],
  ['1.0.0', '1.0'],
  ['1.0.a', '1.0'],
  ['1.0.a', '1.0.b'],
  ['1.0.a1', '1.0.a.1'],
  ['1.0-1', '1.0'],
  ['1.0-1', '1.0.pre.1'],
  ['1.0.rc1', '1.0.RC1'],
  ['1.a.0', '1.a'],
  ['0.a', '0'],
  ['', '0'],
  ['  1.2  ', '1.2'],
  ['1.99999999999999999999999', '1.100000000000000000000000'],
  ['007', '7'],
  ['1.2.3.beta', '1.2.3.alpha'],
  ['1..2', '1.2'],
  ['1.2.', '1.2'],
  ['-1', '1'],
  ['1.0_1', '1.0'],
  ['1.0 1', '1.0'],
  ['7.0.8.1', '7.0.8'],
  ['3.2.0.rc1', '3.2.0.beta4'],
  ['1.0.0.pre', '1.0.0-pre'],
];

function genGem(rng: Rng): string {
  let v = rng.num();
  const n = rng.int(5);
  const word = (): string => rng.pick(['a', 'b', 'pre', 'rc', 'beta', 'alpha', 'RC', 'Z', 'x1', 'rc2', 'b3']);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < 0.6) v += `.${rng.num()}`;
    else if (r < 0.85) v += `.${word()}`;
    else v += `.${rng.num()}${word()}`;
  }
  if (rng.chance(0.15))
    v += `-${rng.chance(0.5) ? word() : rng.num()}${rng.chance(0.4) ? `.${rng.num()}` : ''}`;
  if (rng.chance(0.03)) v = ` ${v} `;
  return v;
}

function mutateGem(rng: Rng, v: string): string {
  const ops = [
    () => v + rng.pick(['.0', '.a', '.pre', '-1', '.1', 'a', '.', '-', '_1', '..1', '.0.0']),
    () => v.slice(0, -1),
    () => v.replace(/[0-9]+/, (d) => rng.pick([`0${d}`, '0', d, `${d}0`])),
    () => v.replace(/[a-z]/, (c) => c.toUpperCase()),
    () => v.replace(/[.-]/, rng.pick(['.', '-', ''])),
  ];
  return rng.pick(ops)();
}

describe("RubyGems versions against ruby's Gem::Version", () => {
  it(`agrees on the curated table and ${PAIRS} generated pairs, validity included`, () => {
    requireTool('/usr/bin/ruby', 'ruby');
    const rng = new Rng(0x6e3);
    const gen = (): string => genGem(rng);
    const pairs = [...CURATED, ...makePairs(rng, gen, (v) => mutateGem(rng, v), PAIRS)];
    const expected = runOracle('/usr/bin/ruby', [`${ORACLE_DIR}gem_oracle.rb`], pairs, 'ruby');
    assertAgreement(scheme, pairs, expected);
    assert.ok(expected.filter((e) => e === '!').length > 100, 'too few invalid versions generated');
  });
});
