import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { versionScheme } from '../../src/ecosystems/index.js';
import { assertAgreement, makePairs, ORACLE_DIR, PAIRS, requireTool, Rng, runOracle } from './harness.js';

const scheme = versionScheme('Debian')!;

/** Versions real Debian and Ubuntu packages use, plus the corner cases of dpkg's algorithm. */
const CURATED: Array<[string, string]> = [
  ['1.0', '1.0-0'],
  ['0:1.0', '1.0'],
  ['1:1.0', '2.0'],
  ['1.0~rc1', '1.0'],
  ['1.0~~', '1.0~'],
  ['1.0~', '1.0'],
  ['1.0a', '1.0'],
  ['1.0+', '1.0a'],
  ['1.0.', '1.0a'],
  ['1.0-1', '1.0-1ubuntu1'],
  ['2.36.1-8+deb11u1', '2.36.1-8'],
  ['1:2.3.4-1', '2.3.4-1'],
  ['1.2.3-1~bpo11+1', '1.2.3-1'],
  ['007', '7'],
  ['1.0-0.1', '1.0-0'],
  ['3.0.2-0ubuntu1.10', '3.0.2-0ubuntu1.9'],
  ['1:9.18.19-1~deb12u1', '1:9.18.19-1'],
  ['10.0', '9.99999999999999999999999'],
  ['1.99999999999999999999999999', '1.100000000000000000000000000'],
  ['2:1.0', '10:0.1'],
  ['1.0+dfsg-1', '1.0-1'],
  ['1.0+dfsg1-1', '1.0+dfsg-1'],
  ['1:1.0:1-1', '1:1.0:2-1'],
  ['1.0-a-b', '1.0-a'],
  ['1a-1', '1A-1'],
  ['1.0-1+b1', '1.0-1'],
];

function genDebian(rng: Rng): string {
  const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const piece = (extra: string): string => {
    const r = rng.next();
    if (r < 0.5) return rng.num();
    if (r < 0.75) return rng.pick(['.', '.', '.', ...extra.split('')]);
    if (r < 0.9) return rng.pick(['~', '+', 'a', 'b', 'rc', 'dfsg', 'ubuntu', 'deb', 'bpo', 'git', 'z']);
    return alnum[rng.int(alnum.length)]!;
  };
  const epoch = rng.chance(0.2);
  const revision = rng.chance(0.6);
  let up = rng.num();
  const n = rng.int(7);
  for (let i = 0; i < n; i++) up += piece(`${epoch ? ':' : ''}${revision ? '-' : ''}`);
  let v = epoch ? `${rng.pick(['0', '1', '2', '01', '10', String(rng.int(100)), '2147483647'])}:${up}` : up;
  if (revision) {
    let rev = rng.chance(0.2) ? rng.pick(['~', 'a', '+']) : rng.num();
    const m = rng.int(5);
    for (let i = 0; i < m; i++) rev += piece('');
    v += `-${rev}`;
  }
  return v;
}

function mutateDebian(rng: Rng, v: string): string {
  const ops = [
    () => v + rng.pick(['~', '~rc1', '.0', '0', 'a', '+b1', '.', '+', '-0', '-1', '~~']),
    () => v.slice(0, -1),
    () => v.replace(/[0-9]+/, (d) => rng.pick([`0${d}`, String(Number(d.slice(0, 15)) + 1), '0', d])),
    () => (v.includes(':') ? v.replace(/^[0-9]+:/, '') : `0:${v}`),
    () => v.replace(/[a-z]/, (c) => c.toUpperCase()),
    () => v.replace(/~/, ''),
  ];
  return rng.pick(ops)();
}

describe('dpkg versions against python3-apt (apt_pkg.version_compare)', () => {
  it(`agrees on the curated table and ${PAIRS} generated pairs`, () => {
    requireTool('/usr/bin/python3', 'python3');
    const rng = new Rng(0xdeb1a5);
    const gen = (): string => genDebian(rng);
    const generated = makePairs(rng, gen, (v) => mutateDebian(rng, v), PAIRS * 2);
    // Every version built by the grammar is valid; mutations may not be, and apt has no notion of
    // an invalid version, so only valid pairs are compared (validity has its own table test).
    const pool = Array.from({ length: 2000 }, gen);
    assert.deepEqual(
      pool.filter((v) => !scheme.isValid(v)),
      [],
    );
    const valid = generated.filter(([a, b]) => scheme.isValid(a) && scheme.isValid(b)).slice(0, PAIRS);
    assert.ok(valid.length >= PAIRS, `only ${valid.length} valid pairs generated`);
    const pairs = [...CURATED, ...valid];
    const expected = runOracle('/usr/bin/python3', [`${ORACLE_DIR}dpkg_oracle.py`], pairs, 'python3-apt');
    assertAgreement(scheme, pairs, expected);
  });

  it('accepts exactly what dpkg --compare-versions accepts without complaint', () => {
    requireTool('/usr/bin/dpkg', 'dpkg');
    const rng = new Rng(0xbad);
    const junk = [' ', '_', ':', '-', '!', '@', 'é', '/', ',', '=', '', '~', '+', '.', 'a'];
    const candidates = new Set<string>([
      'a1',
      '1.0-',
      ':1',
      '1:',
      'x:1',
      '1_0',
      '1.0-a_b',
      '1 0',
      '2147483648:1',
    ]);
    while (candidates.size < 400) {
      const v = genDebian(rng);
      const i = rng.int(v.length + 1);
      candidates.add(v.slice(0, i) + rng.pick(junk) + v.slice(i));
    }
    const wrong: string[] = [];
    for (const v of candidates) {
      const r = spawnSync('/usr/bin/dpkg', ['--compare-versions', v, 'eq', v], { encoding: 'utf8' });
      // dpkg errors (exit 2) and warnings (bad characters, no leading digit) both make a version
      // invalid for bulwark; a version dpkg takes silently must be valid.
      const dpkgValid = r.status === 0 && r.stderr === '';
      if (dpkgValid !== scheme.isValid(v))
        wrong.push(`${JSON.stringify(v)}: dpkg ${dpkgValid ? 'accepts' : r.stderr.trim().split('\n')[0]}`);
    }
    assert.deepEqual(wrong.slice(0, 20), []);
  });
});
