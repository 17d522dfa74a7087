import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionScheme } from '../../src/ecosystems/index.js';
import { assertAgreement, makePairs, ORACLE_DIR, PAIRS, requireTool, Rng, runOracle } from './harness.js';

const scheme = versionScheme('Packagist')!;

const CURATED: Array<[string, string]> = [
  ['1.0.0', '1.0'],
  ['v1.0.0', '1.0.0.0'],
  ['1.0.0-beta2', '1.0.0-b2'],
  ['1.0.0-RC1', '1.0.0-rc1'],
  ['1.0.0-p1', '1.0.0-patch1'],
  ['1.0.0-pl1', '1.0.0'],
  ['1.0.0-dev', '1.0.0-alpha'],
  ['1.0.x-dev', '1.0.5'],
  ['dev-main', '1.0.0'],
  ['1.0.0+build.5', '1.0.0'],
  ['2010-01-02', '2010.01.02'],
  ['20100102-203040-p1', '20100102.203040'],
  ['1.0.0-alpha-2.1-3', '1.0.0-alpha2.1'],
  ['1.0.0@dev', '1.0.0'],
  ['1.0.0 as 2.0.0', '1.0.0'],
  ['1.0.0-meh', '1.0.0'],
  ['1.0.0.0.0', '1.0.0'],
  ['123456.0', '1.0'],
  ['1.99999999999999999999', '1.9223372036854775807'],
  ['master', 'dev-master'],
];

function genComposer(rng: Rng): string {
  let v = rng.chance(0.15) ? rng.pick(['v', 'V']) : '';
  v += rng.chance(0.08)
    ? `20${rng.int(10)}${rng.int(10)}${rng.pick(['', '-', '.'])}0${1 + rng.int(9)}${rng.pick(['', '-', '.'])}${10 + rng.int(18)}`
    : rng.num();
  const parts = rng.int(5);
  for (let i = 0; i < parts; i++) v += `.${rng.num()}`;
  if (rng.chance(0.4)) {
    v +=
      rng.pick(['', '-', '.', '_']) +
      rng.pick(['alpha', 'a', 'beta', 'b', 'RC', 'rc', 'Rc', 'patch', 'pl', 'p', 'stable', 'BETA', 'meh']);
    const n = rng.int(3);
    for (let i = 0; i < n; i++) v += rng.pick(['', '.', '-']) + rng.num();
  }
  if (rng.chance(0.15)) v += rng.pick(['-dev', '.dev', 'dev', '-DEV']);
  if (rng.chance(0.1)) v += `+${rng.pick(['build', '5', 'sha.abc', 'x-y'])}`;
  if (rng.chance(0.03))
    v = rng.pick(['dev-main', 'dev-feature/x', 'master', `${rng.num()}.x-dev`, `${rng.num()}.*-dev`]);
  if (rng.chance(0.02)) v += rng.pick(['@dev', '@stable', ' as 1.0.0']);
  return v;
}

function mutateComposer(rng: Rng, v: string): string {
  const ops = [
    () => v + rng.pick(['.0', '-dev', '-beta1', '.1', '-p1', '+b', '-', '.x-dev', 'RC1', '.0.0']),
    () => v.slice(0, -1),
    () => v.replace(/[0-9]+/, (d) => rng.pick([`0${d}`, '0', d, `${d}0`])),
    () => v.replace(/[a-z]+/, (c) => c.toUpperCase()),
    () => v.replace(/[.\-_]/, rng.pick(['.', '-', '_', ''])),
  ];
  return rng.pick(ops)();
}

describe("Packagist versions against Composer's VersionParser + version_compare", () => {
  it(`agrees on the curated table and ${PAIRS} generated pairs, validity included`, () => {
    requireTool('/usr/bin/php', 'php-cli');
    requireTool('/usr/share/php/Composer/Semver/VersionParser.php', 'php-composer-semver');
    const rng = new Rng(0xc0de);
    const gen = (): string => genComposer(rng);
    const all = [...CURATED, ...makePairs(rng, gen, (v) => mutateComposer(rng, v), PAIRS + 500)];
    const answers = runOracle('/usr/bin/php', [`${ORACLE_DIR}composer_oracle.php`], all, 'php-cli');
    // Composer gives two different branches no order (bulwark orders them by name): leave them out.
    const keep = answers.map((a) => a !== '~');
    const pairs = all.filter((_, i) => keep[i]);
    const expected = answers.filter((_, i) => keep[i]);
    assert.ok(pairs.length >= PAIRS, `only ${pairs.length} comparable pairs`);
    assertAgreement(scheme, pairs, expected);
    assert.ok(expected.filter((e) => e === '!').length > 100, 'too few invalid versions generated');
  });
});
