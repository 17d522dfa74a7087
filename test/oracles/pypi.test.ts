import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionScheme } from '../../src/ecosystems/index.js';
import { assertAgreement, makePairs, ORACLE_DIR, PAIRS, requireTool, Rng, runOracle } from './harness.js';

const scheme = versionScheme('PyPI')!;

const CURATED: Array<[string, string]> = [
  ['1.0', '1.0.0'],
  ['1.0.dev0', '1.0a0'],
  ['1.0a1', '1.0b1'],
  ['1.0rc1', '1.0c1'],
  ['1.0', '1.0.post0'],
  ['1.0.post1', '1.0-1'],
  ['1.0.post1.dev1', '1.0.post1'],
  ['1.0a1.dev1', '1.0a1'],
  ['1.0+local', '1.0'],
  ['1.0+abc.5', '1.0+abc.10'],
  ['1.0+5', '1.0+abc'],
  ['1.0+abc', '1.0+abc.0'],
  ['1!1.0', '2.0'],
  ['v1.0', '1.0'],
  ['1.0ALPHA1', '1.0a1'],
  ['1.0-preview-2', '1.0rc2'],
  ['1.0.r1', '1.0.post1'],
  ['1.0rev', '1.0.post0'],
  ['  1.0 ', '1.0'],
  ['01.02', '1.2'],
  ['1.99999999999999999999999', '1.100000000000000000000000'],
  ['1.0.0.0.0.0.1', '1.0'],
  ['0', '0.0'],
  ['1.0-', '1.0'],
  ['1.0+', '1.0'],
  ['1.0.x', '1.0'],
  ['1.0a.1', '1.0a1'],
  ['1.0_a_1', '1.0a1'],
];

function genPep440(rng: Rng): string {
  let v = rng.chance(0.05) ? 'v' : '';
  if (rng.chance(0.1)) v += `${rng.num()}!`;
  v += rng.num();
  const parts = rng.int(4);
  for (let i = 0; i < parts; i++) v += `.${rng.num()}`;
  const sep = (): string => rng.pick(['', '', '.', '-', '_']);
  if (rng.chance(0.35)) {
    v += sep() + rng.pick(['a', 'b', 'c', 'rc', 'alpha', 'beta', 'pre', 'preview', 'RC', 'A']);
    if (rng.chance(0.8)) v += sep() + rng.num();
  }
  if (rng.chance(0.25)) {
    v += rng.chance(0.3)
      ? `-${rng.num()}`
      : sep() + rng.pick(['post', 'rev', 'r', 'POST']) + (rng.chance(0.8) ? sep() + rng.num() : '');
  }
  if (rng.chance(0.25)) v += sep() + rng.pick(['dev', 'DEV']) + (rng.chance(0.8) ? sep() + rng.num() : '');
  if (rng.chance(0.2)) {
    const seg = (): string =>
      rng.chance(0.5) ? rng.num() : rng.pick(['abc', 'ubuntu', 'x', 'Z', 'cpu', 'cu118', 'g1a2b']);
    v += `+${seg()}`;
    const n = rng.int(3);
    for (let i = 0; i < n; i++) v += rng.pick(['.', '-', '_']) + seg();
  }
  if (rng.chance(0.03)) v = ` ${v} `;
  return v;
}

function mutatePep440(rng: Rng, v: string): string {
  const ops = [
    () => v + rng.pick(['.0', '.dev0', 'a1', '.post1', '+local', '+1', '-1', '.x', '-', '..1', 'rc', '+']),
    () => v.slice(0, -1),
    () => v.replace(/[0-9]+/, (d) => rng.pick([`0${d}`, '0', d, `${d}0`])),
    () => v.replace(/[a-z]/, (c) => c.toUpperCase()),
    () => v.replace(/[.\-_]/, rng.pick(['.', '-', '_', ''])),
  ];
  return rng.pick(ops)();
}

describe('PEP 440 versions against python3-packaging (packaging.version.Version)', () => {
  it(`agrees on the curated table and ${PAIRS} generated pairs, validity included`, () => {
    requireTool('/usr/bin/python3', 'python3');
    const rng = new Rng(0x440);
    const gen = (): string => genPep440(rng);
    const pairs = [...CURATED, ...makePairs(rng, gen, (v) => mutatePep440(rng, v), PAIRS)];
    const expected = runOracle(
      '/usr/bin/python3',
      [`${ORACLE_DIR}pep440_oracle.py`],
      pairs,
      'python3-packaging',
    );
    assertAgreement(scheme, pairs, expected);
    assert.ok(expected.filter((e) => e === '!').length > 100, 'too few invalid versions generated');
  });
});
