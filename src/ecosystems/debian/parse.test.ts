import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDpkgStatus, parseSourceField } from './parse.js';

describe('parseDpkgStatus', () => {
  it('reads stanzas with continuation lines, CRLF and case-insensitive field names', () => {
    const text = [
      'Package: libfoo1',
      'status: install ok installed',
      'Architecture: amd64',
      'Source: foo (1.2-3)',
      'Version: 1.2-3+b1',
      'Description: foo',
      ' Package: not-a-package',
      '',
      '',
      'Package: bar\r',
      'Status: deinstall ok config-files\r',
      'Version: 1\r',
    ].join('\n');
    const r = parseDpkgStatus(text);
    assert.deepEqual(
      r.packages.map((p) => [p.name, p.version, p.architecture, p.sourceName, p.sourceVersion]),
      [['libfoo1', '1.2-3+b1', 'amd64', 'foo', '1.2-3']],
    );
    assert.equal(r.notInstalled, 1);
    assert.deepEqual(r.problems, []);
  });

  it('excludes every state whose files are not on disk', () => {
    const states = [
      'not-installed',
      'config-files',
      'half-installed',
      'unpacked',
      'half-configured',
      'triggers-awaited',
      'triggers-pending',
      'installed',
    ];
    const text = states.map((s, i) => `Package: p${i}\nStatus: install ok ${s}\nVersion: 1\n`).join('\n');
    assert.deepEqual(
      parseDpkgStatus(text).packages.map((p) => p.status?.state),
      ['unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending', 'installed'],
    );
  });

  it('treats a missing Status as installed only for distroless status.d files', () => {
    const text = 'Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n';
    assert.equal(parseDpkgStatus(text).packages.length, 0);
    assert.equal(parseDpkgStatus(text, { missingStatusIsInstalled: true }).packages.length, 1);
  });

  it('survives truncation, garbage and huge fields', () => {
    const truncated =
      'Package: a\nStatus: install ok installed\nVersion: 1.0\n\nPackage: b\nStatus: install ok inst';
    const r = parseDpkgStatus(truncated);
    assert.deepEqual(
      r.packages.map((p) => p.name),
      ['a'],
    );
    assert.equal(r.problems.length, 1);

    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('utf8');
    const g = parseDpkgStatus(garbage);
    assert.equal(g.packages.length, 0);

    const huge = `Package: big\nStatus: install ok installed\nVersion: 2\nDescription: ${'x'.repeat(8 << 20)}\n ${'y'.repeat(1 << 20)}\n`;
    assert.deepEqual(
      parseDpkgStatus(huge).packages.map((p) => p.name),
      ['big'],
    );
  });

  it('reports stanzas without Package or Version and bounds the stanza count', () => {
    const r = parseDpkgStatus('Version: 1\n\nPackage: nov\nStatus: install ok installed\n\nno colon here\n');
    assert.equal(r.packages.length, 0);
    assert.equal(r.problems.length, 3);
    const many = 'Package: x\nStatus: install ok installed\nVersion: 1\n\n'.repeat(20);
    const m = parseDpkgStatus(many, { maxStanzas: 5 });
    assert.equal(m.packages.length, 5);
    assert.equal(m.problems.length, 1);
  });
});

describe('parseSourceField', () => {
  it('splits name and optional version', () => {
    assert.deepEqual(parseSourceField('glibc (2.36-9+deb12u4)'), {
      name: 'glibc',
      version: '2.36-9+deb12u4',
    });
    assert.deepEqual(parseSourceField('openssl'), { name: 'openssl' });
    assert.equal(parseSourceField('  '), undefined);
  });
});
