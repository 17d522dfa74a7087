import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCargoLock } from './parse.js';

const fixture = (f: string): string => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8');

describe('Cargo.lock', () => {
  it('v4 written by cargo: the crates and graph cargo metadata reports', () => {
    const r = parseCargoLock(fixture('cargo-v4-vendored/Cargo.lock'));
    assert.deepEqual(r.problems, []);
    const meta = JSON.parse(fixture('cargo-v4-vendored/cargo-metadata.json')) as {
      packages: { name: string; version: string; source: string | null }[];
      resolve: Record<string, string[]>;
    };
    const all = meta.packages.map((p) => `${p.name}@${p.version}`);
    const ours = r.packages.map((p) => `${p.name}@${p.version}`);
    assert.deepEqual(ours.sort(), all.sort());
    // the workspace's own crates (no source) are marked as such
    const local = meta.packages.filter((p) => p.source === null).map((p) => `${p.name}@${p.version}`);
    assert.deepEqual(
      r.packages.filter((p) => p.metadata?.source === 'path').map((p) => `${p.name}@${p.version}`),
      local.sort(),
    );
    // the graph, as cargo resolved it
    for (const p of r.packages) {
      const expected = meta.resolve[`${p.name}@${p.version}`] ?? [];
      const got = (p.dependsOn ?? []).map((d) => d.slice('pkg:cargo/'.length));
      assert.deepEqual(got.sort(), expected.sort(), p.name);
    }
  });

  it('v3: registry crates and the workspace member, with version-qualified dependencies', () => {
    const r = parseCargoLock(fixture('Cargo-v3.lock'));
    // sorted by purl: `regex-syntax@` before `regex@`
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.packages.map((p) => `${p.name}@${p.version}`),
      [
        'aho-corasick@0.7.20',
        'app@0.1.0',
        'libc@0.2.140',
        'memchr@1.0.2',
        'memchr@2.5.0',
        'regex-syntax@0.5.6',
        'regex-syntax@0.6.29',
        'regex@1.7.3',
        'ucd-util@0.1.10',
      ],
    );
    assert.deepEqual(r.packages.find((p) => p.name === 'app')?.metadata, { source: 'path' });
    assert.deepEqual(r.packages.find((p) => p.name === 'regex')?.dependsOn, [
      'pkg:cargo/aho-corasick@0.7.20',
      'pkg:cargo/memchr@2.5.0',
      'pkg:cargo/regex-syntax@0.6.29',
    ]);
  });

  it('v1: dependencies carry version and source; [metadata] checksums are ignored', () => {
    const r = parseCargoLock(`[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde 1.0.100 (registry+https://github.com/rust-lang/crates.io-index)",
]

[[package]]
name = "serde"
version = "1.0.100"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = [
 "serde_derive 1.0.100 (registry+https://github.com/rust-lang/crates.io-index)",
]

[[package]]
name = "serde_derive"
version = "1.0.100"
source = "registry+https://github.com/rust-lang/crates.io-index"

[metadata]
"checksum serde 1.0.100 (registry+https://github.com/rust-lang/crates.io-index)" = "f4473e8506b213730ff2061073b48fa51dcc66349219e2e7c5608f0296a1d95a"
`);
    assert.deepEqual(
      r.packages.map((p) => [p.purl, p.dependsOn ?? []]),
      [
        ['pkg:cargo/app@0.1.0', ['pkg:cargo/serde@1.0.100']],
        ['pkg:cargo/serde@1.0.100', ['pkg:cargo/serde_derive@1.0.100']],
        ['pkg:cargo/serde_derive@1.0.100', []],
      ],
    );
  });

  it('v4: git sources are listed and marked', () => {
    const r = parseCargoLock(`version = 4

[[package]]
name = "tokio"
version = "1.38.0"
source = "git+https://github.com/tokio-rs/tokio?branch=master#8e15c234c60cf8132c490ccf03dd31738cfeaca8"

[[package]]
name = "sparse-dep"
version = "0.2.0"
source = "sparse+https://index.example.test/"
`);
    assert.deepEqual(
      r.packages.map((p) => [p.purl, p.metadata?.source ?? '']),
      [
        ['pkg:cargo/sparse-dep@0.2.0', ''],
        ['pkg:cargo/tokio@1.38.0', 'git'],
      ],
    );
  });

  it('reports malformed input', () => {
    assert.equal(parseCargoLock('[[package]\nname=').problems.length, 1);
    assert.equal(parseCargoLock('package = 3').problems.length, 1);
    assert.equal(parseCargoLock('[[package]]\nname = "x"\nsource = "registry+x"\n').problems.length, 1);
    assert.equal(parseCargoLock(`x = ${'['.repeat(100000)}`).problems.length, 1);
  });
});
