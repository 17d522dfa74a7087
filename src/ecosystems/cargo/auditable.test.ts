import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { fileSource } from '../../core/byte-source.js';
import { cargoAuditableAnalyzer } from '../../inventory/analyzers/cargo-auditable.js';
import { parseAuditableData, readAuditableSection } from './auditable.js';

/**
 * cargo is not installed here, so the fixture binary is a real ELF (a copy of /bin/true) given a
 * `.dep-v0` section by binutils' objcopy, holding JSON in cargo-auditable's schema. This checks
 * the section lookup and the data format, not the cargo-auditable tool.
 */
const AUDIT = {
  packages: [
    { name: 'my-tool', version: '0.1.0', source: 'local', dependencies: [1, 2, 3], root: true },
    { name: 'serde', version: '1.0.197', source: 'crates.io', dependencies: [4] },
    { name: 'cc', version: '1.0.90', source: 'crates.io', kind: 'build' },
    { name: 'internal-lib', version: '0.3.0', source: 'git' },
    { name: 'serde_derive', version: '1.0.197', source: 'crates.io', dependencies: [99] },
  ],
};

let dir = '';

function withSection(name: string, data: Buffer): Buffer {
  const payload = path.join(dir, `${name}.payload`);
  const out = path.join(dir, name);
  writeFileSync(payload, data);
  execFileSync('objcopy', [
    '--add-section',
    `.dep-v0=${payload}`,
    '--set-section-flags',
    '.dep-v0=noload,readonly',
    '/bin/true',
    out,
  ]);
  return readFileSync(out);
}

function analyze(content: Buffer) {
  return cargoAuditableAnalyzer.analyze(
    { path: 'usr/local/bin/my-tool', content, size: content.length, mode: 0o755 },
    { maxBytes: 64 << 20 },
  );
}

describe('cargo-auditable .dep-v0', () => {
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-cargo-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the section objcopy added and emits crates.io crates only', () => {
    const bin = withSection('my-tool', deflateSync(JSON.stringify(AUDIT)));
    const raw = readAuditableSection(bin);
    assert.ok(raw);
    assert.equal(parseAuditableData(raw).length, 5);
    const out = analyze(bin);
    assert.equal(out.warnings, undefined);
    assert.deepEqual(out.packages, [
      {
        name: 'serde',
        version: '1.0.197',
        ecosystem: 'crates.io',
        type: 'lang',
        purl: 'pkg:cargo/serde@1.0.197',
        location: 'usr/local/bin/my-tool',
      },
      {
        name: 'cc',
        version: '1.0.90',
        ecosystem: 'crates.io',
        type: 'lang',
        purl: 'pkg:cargo/cc@1.0.90',
        location: 'usr/local/bin/my-tool',
        metadata: { kind: 'build' },
      },
      {
        name: 'serde_derive',
        version: '1.0.197',
        ecosystem: 'crates.io',
        type: 'lang',
        purl: 'pkg:cargo/serde_derive@1.0.197',
        location: 'usr/local/bin/my-tool',
      },
    ]);
  });

  it('reads the same by offset from an open file as from memory (large binaries arrive so)', () => {
    const bin = withSection('by-offset', deflateSync(JSON.stringify(AUDIT)));
    const fd = openSync(path.join(dir, 'by-offset'), 'r');
    try {
      const source = fileSource(fd, bin.length);
      assert.deepEqual(readAuditableSection(source), readAuditableSection(bin));
      const byOffset = cargoAuditableAnalyzer.analyze(
        { path: 'usr/local/bin/my-tool', content: Buffer.alloc(0), source, size: bin.length, mode: 0o755 },
        { maxBytes: 64 << 20 },
      );
      assert.deepEqual(byOffset, analyze(bin));
      assert.equal(byOffset.packages?.length, 3);
    } finally {
      closeSync(fd);
    }
    assert.equal(cargoAuditableAnalyzer.randomAccess, true);
  });

  it('keeps the dependency graph indexes, dropping ones out of range', () => {
    const crates = parseAuditableData(deflateSync(JSON.stringify(AUDIT)));
    assert.deepEqual(crates[0]!.dependencies, [1, 2, 3]);
    assert.equal(crates[0]!.root, true);
    assert.deepEqual(crates[4]!.dependencies, []);
  });

  it('ignores binaries without the section', () => {
    assert.deepEqual(analyze(readFileSync('/bin/true')), {});
    assert.deepEqual(analyze(Buffer.from('#!/bin/sh\n'.repeat(20))), {});
  });

  it('warns about corrupt audit data: not zlib, not JSON, wrong shape, bombs', () => {
    const cases: [string, Buffer, string][] = [
      ['not-zlib', Buffer.from('plain text, not compressed'), 'MALFORMED_INPUT'],
      ['not-json', deflateSync('{"packages": ['), 'MALFORMED_INPUT'],
      ['no-packages', deflateSync('{"crates": []}'), 'MALFORMED_INPUT'],
      ['bad-package', deflateSync('{"packages": [{"name": 1}]}'), 'MALFORMED_INPUT'],
      ['bomb', deflateSync(Buffer.alloc(16 * 1024 * 1024, 32)), 'LIMIT_EXCEEDED'],
    ];
    for (const [name, data, code] of cases) {
      const bin = withSection(name, data);
      const out = analyze(bin);
      assert.equal(out.packages, undefined, name);
      assert.equal(out.warnings?.[0]?.code, 'CARGO_AUDITABLE_MALFORMED', name);
      assert.equal(out.warnings?.[0]?.input, 'usr/local/bin/my-tool', name);
      assert.throws(() => parseAuditableData(readAuditableSection(bin)!), { code }, name);
    }
  });

  it('gates on executable mode and size, not on names', () => {
    assert.equal(cargoAuditableAnalyzer.required('usr/bin/x', 4096, 0o100755), true);
    assert.equal(cargoAuditableAnalyzer.required('usr/bin/x', 4096, 0o100644), false);
    assert.equal(cargoAuditableAnalyzer.required('usr/bin/x', 4096), false);
    assert.equal(cargoAuditableAnalyzer.required('usr/bin/x', 1 << 30, 0o755), false);
  });
});
