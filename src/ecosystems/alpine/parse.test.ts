import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseApkInstalled } from './parse.js';

const fixture = readFileSync(new URL('./__fixtures__/installed', import.meta.url), 'utf8');

describe('parseApkInstalled', () => {
  it('reads a real installed database, keeping origin, licence and commit', () => {
    const r = parseApkInstalled(fixture);
    assert.deepEqual(
      r.packages.map((p) => `${p.name} ${p.version} ${p.arch} ${p.origin}`),
      [
        'musl 1.1.14-r10 x86_64 musl',
        'busybox 1.24.2-r9 x86_64 busybox',
        'alpine-keys 1.1-r0 x86_64 alpine-keys',
        'libcrypto1.0 1.0.2h-r1 x86_64 openssl',
        'libssl1.0 1.0.2h-r1 x86_64 openssl',
        'scanelf 1.1.6-r0 x86_64 pax-utils',
        'test 2.9.11_pre20061021-r2 x86_64 test-parent',
        'ada-libs 2.7.4-r0 x86_64 ada',
      ],
    );
    const ada = r.packages.at(-1)!;
    assert.equal(ada.license, '( Apache-2.0 OR MIT ) AND MPL-2.0');
    assert.equal(ada.commit, 'fa40f3454f9c60870d54115aac4161f9ab7c667f');
    assert.equal(ada.buildTime, 1701726025);
    assert.equal(r.packages[0]!.maintainer, 'Timo Teräs <timo.teras@iki.fi>');
    // the block without V: is reported, not listed
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, /line 23/);
  });

  it('handles CRLF, a missing final newline and a P: without a separating blank line', () => {
    const r = parseApkInstalled('P:a\r\nV:1-r0\r\nP:b\nV:2-r1\no:bsrc');
    assert.deepEqual(
      r.packages.map((p) => [p.name, p.version, p.origin]),
      [
        ['a', '1-r0', undefined],
        ['b', '2-r1', 'bsrc'],
      ],
    );
  });

  it('survives truncation, garbage and huge values', () => {
    const cut = fixture.slice(0, fixture.indexOf('P:busybox') + 12);
    const r = parseApkInstalled(cut);
    assert.deepEqual(
      r.packages.map((p) => p.name),
      ['musl'],
    );
    assert.equal(r.problems.length, 2);

    const garbage = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 31 + 7) % 256)).toString('utf8');
    assert.equal(parseApkInstalled(garbage).packages.length, 0);

    const huge = `P:big\nV:1-r0\nT:${'x'.repeat(16 << 20)}\n`;
    assert.deepEqual(
      parseApkInstalled(huge).packages.map((p) => p.name),
      ['big'],
    );
  });

  it('bounds the package count', () => {
    const r = parseApkInstalled('P:x\nV:1-r0\n\n'.repeat(10), { maxPackages: 3 });
    assert.equal(r.packages.length, 3);
    assert.equal(r.problems.length, 1);
  });
});
