import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scanRootfsInventory } from '../../src/image/index.js';
import { defaultAnalyzers, osEcosystem } from '../../src/inventory/index.js';
import type { Inventory } from '../../src/core/types.js';

const SRC = new URL('../../src/ecosystems/', import.meta.url).pathname;
const LANG = [
  'cargo-lock',
  'composer',
  'composer-lock',
  'dotnet-deps',
  'gem',
  'gem-lock',
  'npm-lock',
  'nuget-lock',
  'pnpm',
  'python',
  'python-lock',
  'yarn',
];

let root: string;

function put(rel: string, from: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  copyFileSync(from, path.join(root, rel));
}

function write(rel: string, text: string | Buffer): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
}

async function scan(target: 'fs' | 'rootfs'): Promise<Inventory> {
  return scanRootfsInventory(root, { analyzers: await defaultAnalyzers(LANG, target), osEcosystem });
}

const at = (inv: Inventory, location: string): string[] =>
  inv.packages
    .filter((p) => p.location === location)
    .map((p) => `${p.ecosystem} ${p.name}@${p.version}`)
    .sort();

before(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'bulwark-lang-'));
  put('web/package-lock.json', `${SRC}npm/__fixtures__/npm-lock-v3/package-lock.json`);
  put('web/yarn.lock', `${SRC}npm/__fixtures__/yarn-berry/yarn.lock`);
  put('web/pnpm-lock.yaml', `${SRC}npm/__fixtures__/pnpm-v6/pnpm-lock.yaml`);
  put('api/poetry.lock', `${SRC}pypi/__fixtures__/poetry-v2-flask.lock`);
  put('api/uv.lock', `${SRC}pypi/__fixtures__/uv-workspace-rooted.lock`);
  put('api/Pipfile.lock', `${SRC}pypi/__fixtures__/Pipfile.lock`);
  write('api/requirements.txt', 'flask==1.0.3\ngunicorn>=20\n');
  put('ruby/Gemfile.lock', `${SRC}rubygems/__fixtures__/Gemfile-platforms.lock`);
  put('php/composer.lock', `${SRC}packagist/__fixtures__/composer.lock`);
  put('php/vendor/composer/installed.json', `${SRC}packagist/__fixtures__/installed-v2.json`);
  put('dotnet/packages.lock.json', `${SRC}nuget/__fixtures__/packages.lock.json`);
  put('dotnet/bin/ExampleApp1.deps.json', `${SRC}nuget/__fixtures__/ExampleApp1.deps.json`);
  put('rust/Cargo.lock', `${SRC}cargo/__fixtures__/Cargo-v3.lock`);
  // real installed metadata from this machine's Debian packages
  const dist = '/usr/lib/python3/dist-packages';
  const packaging = readdirSync(dist).find((e) => /^packaging-.*\.dist-info$/.test(e))!;
  put(`usr/lib/python3/dist-packages/${packaging}/METADATA`, path.join(dist, packaging, 'METADATA'));
  put(
    'usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec',
    '/usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec',
  );
  // hostile files: each costs only itself
  write('broken/package-lock.json', '{"lockfileVersion": 3, "packages": {');
  write('broken/Cargo.lock', Buffer.from([0x5b, 0x5b, 0xff, 0xfe, 0x0a]));
  write('broken/composer.lock', `${'['.repeat(200000)}`);
  write('broken/yarn.lock', '__metadata:\n  version: 8\n"a@npm:1": [');
});

after(() => rmSync(root, { recursive: true, force: true }));

describe('language analyzers through scanRootfsInventory', () => {
  it('finds every lockfile and installed metadata in a project folder, each attributed to its file', async () => {
    const inv = await scan('fs');
    assert.equal(at(inv, 'web/package-lock.json').length, 12);
    assert.equal(at(inv, 'web/yarn.lock').length, 12);
    assert.equal(at(inv, 'web/pnpm-lock.yaml').length, 12);
    assert.equal(at(inv, 'api/poetry.lock').length, 15);
    assert.deepEqual(at(inv, 'api/requirements.txt'), ['PyPI flask@1.0.3']);
    assert.equal(at(inv, 'api/uv.lock').length, 9);
    assert.equal(at(inv, 'api/Pipfile.lock').length, 6);
    assert.deepEqual(at(inv, 'ruby/Gemfile.lock'), [
      'RubyGems billing@0.1.0',
      'RubyGems internal-gem@0.3.0',
      'RubyGems mini_portile2@2.8.5',
      'RubyGems nokogiri@1.15.4',
      'RubyGems racc@1.7.3',
      'RubyGems rack-test@2.1.0',
      'RubyGems rack@2.2.8',
      'RubyGems sqlite3@1.6.9',
    ]);
    assert.equal(at(inv, 'php/composer.lock').length, 10);
    assert.equal(at(inv, 'php/vendor/composer/installed.json').length, 10);
    assert.equal(at(inv, 'dotnet/packages.lock.json').length, 8);
    // the application's own assembly (a `project` library) beside the package it loads
    assert.deepEqual(at(inv, 'dotnet/bin/ExampleApp1.deps.json'), [
      'NuGet ExampleApp1@1.0.0',
      'NuGet Newtonsoft.Json@13.0.1',
    ]);
    // 8 crates.io crates and the workspace's own `app`, as cargo metadata lists them
    assert.equal(at(inv, 'rust/Cargo.lock').length, 9);
    assert.ok(inv.packages.some((p) => p.ecosystem === 'crates.io' && p.purl === 'pkg:cargo/regex@1.7.3'));
    assert.equal(
      at(inv, 'usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec')[0],
      'RubyGems rake@13.0.6',
    );
    assert.ok(
      inv.packages.some(
        (p) => p.ecosystem === 'PyPI' && p.name === 'packaging' && p.location.endsWith('/METADATA'),
      ),
    );
    const once = inv.packages.find((p) => p.location === 'web/package-lock.json' && p.name === 'once');
    assert.equal(once?.metadata?.dev, true);
    assert.deepEqual(once?.dependsOn, ['pkg:npm/wrappy@1.0.2']);
  });

  it('reports each hostile file as a warning naming it and still lists the rest', async () => {
    const inv = await scan('fs');
    const inputs = new Set(inv.warnings.map((w) => w.input));
    for (const f of [
      'broken/package-lock.json',
      'broken/Cargo.lock',
      'broken/composer.lock',
      'broken/yarn.lock',
    ])
      assert.ok(inputs.has(f), `warning for ${f}`);
    assert.ok(!inv.packages.some((p) => p.location.startsWith('broken/')));
  });

  it('in a root filesystem, only installed metadata counts: lockfiles are skipped', async () => {
    const inv = await scan('rootfs');
    const locations = new Set(inv.packages.map((p) => p.location));
    assert.ok(locations.has('php/vendor/composer/installed.json'));
    assert.ok(locations.has('dotnet/bin/ExampleApp1.deps.json'));
    assert.ok(locations.has('usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec'));
    for (const l of [
      'web/package-lock.json',
      'web/yarn.lock',
      'api/poetry.lock',
      'ruby/Gemfile.lock',
      'rust/Cargo.lock',
    ])
      assert.ok(!locations.has(l), l);
  });
});
