import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readCargoManifest } from './manifest.js';

describe('readCargoManifest', () => {
  it('counts dependencies and build-dependencies as production, dev-dependencies as development', () => {
    const r = readCargoManifest(`
[package]
name = "app"

[dependencies]
serde = "1.0"
rand_core = { package = "rand-core", version = "0.6" }
util = { path = "../util" }
shared.workspace = true

[build-dependencies]
cc = "1"

[dev-dependencies]
proptest = "1"

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[target.'cfg(windows)'.dev-dependencies]
winapi = "0.3"

[workspace]
members = ["crates/*"]
exclude = ["crates/old"]
`)!;
    assert.equal(r.name, 'app');
    assert.deepEqual(
      r.prod.map((d) => [d.name, d.req, d.path ?? '']),
      [
        ['serde', '1.0', ''],
        ['rand-core', '0.6', ''],
        ['util', '', '../util'],
        ['shared', '', ''],
        ['cc', '1', ''],
        ['libc', '0.2', ''],
      ],
    );
    assert.deepEqual(
      r.dev.map((d) => d.name),
      ['proptest', 'winapi'],
    );
    assert.deepEqual([r.workspaces, r.excluded], [['crates/*'], ['crates/old']]);
  });

  it('reads nothing from a file that is not TOML', () => {
    assert.equal(readCargoManifest('[package'), undefined);
  });
});
