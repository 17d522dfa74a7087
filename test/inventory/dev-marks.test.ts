import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Inventory } from '../../src/core/types.js';
import { scanRootfsInventory } from '../../src/image/index.js';
import { defaultAnalyzers, linkManifests, osEcosystem } from '../../src/inventory/index.js';
import { fsInventory } from '../../src/scan/fs.js';

const ECO = new URL('../../src/ecosystems/', import.meta.url).pathname;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-dev-marks-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function scan(dir: string): Promise<Inventory> {
  const analyzers = await defaultAnalyzers(['cargo-lock', 'gem-lock', 'manifest', 'npm-lock', 'yarn'], 'fs');
  return linkManifests(await scanRootfsInventory(dir, { analyzers, osEcosystem }));
}

// the workspace member itself: package-lock lists it, yarn.lock's parser leaves local packages out
const ids = (inv: Inventory, dev: boolean, location?: string): string[] =>
  inv.packages
    .filter((p) => !p.name.startsWith('@sample/'))
    .filter((p) => (location === undefined || p.location === location) && (p.metadata?.dev === true) === dev)
    .map((p) => `${p.name}@${p.version}`)
    .sort();

/** A copy of fixture folders under one temp root, so each test can add or change files. */
function project(name: string, ...fixtures: [string, string][]): string {
  const dir = path.join(tmp, name);
  for (const [from, to] of fixtures) cpSync(path.join(ECO, from), path.join(dir, to), { recursive: true });
  return dir;
}

describe('yarn.lock dev marks from package.json', () => {
  it("mark what npm's package-lock marks dev, for a workspace project locked by yarn 1 and yarn 4", async () => {
    const npm = await scan(path.join(ECO, 'npm/__fixtures__/dev-workspace-npm'));
    const npmDev = ids(npm, true);
    assert.equal(npmDev.length, 14, 'package-lock has its own dev flags');
    for (const kind of ['classic', 'berry']) {
      const inv = await scan(path.join(ECO, `npm/__fixtures__/dev-workspace-${kind}`));
      assert.deepEqual(ids(inv, true), npmDev, kind);
      assert.deepEqual(ids(inv, false), ids(npm, false), kind);
    }
  });

  it('leave exactly the packages `yarn list --production` lists unmarked (shared ones stay production)', async () => {
    const inv = await scan(path.join(ECO, 'npm/__fixtures__/dev-workspace-classic'));
    const list = JSON.parse(
      readFileSync(path.join(ECO, 'npm/__fixtures__/dev-workspace-classic/list-prod.json'), 'utf8'),
    ) as { data: { trees: { name: string; shadow?: boolean; children?: unknown[] }[] } };
    const prod: string[] = [];
    const walk = (n: { name: string; shadow?: boolean; children?: unknown[] }): void => {
      if (!n.shadow && !n.name.startsWith('@sample/')) prod.push(n.name);
      for (const c of n.children ?? []) walk(c as typeof n);
    };
    list.data.trees.forEach(walk);
    assert.deepEqual(ids(inv, false), prod.sort());
    // once and inherits are reached from rimraf's tree (dev) and from the workspace member (prod)
    assert.ok(ids(inv, false).includes('once@1.4.0') && ids(inv, true).includes('glob@7.2.3'));
  });

  it('mark the single-project fixtures as package-lock v3 does for the same package.json', async () => {
    const npm = await scan(path.join(ECO, 'npm/__fixtures__/npm-lock-v3'));
    for (const kind of ['yarn-classic', 'yarn-berry']) {
      const inv = await scan(path.join(ECO, `npm/__fixtures__/${kind}`));
      assert.deepEqual(ids(inv, true), ids(npm, true), kind);
      assert.ok(ids(inv, true).length > 0);
    }
  });

  it('drop the manifest facts and keep other files unmarked', async () => {
    const dir = project(
      'mixed',
      ['npm/__fixtures__/dev-workspace-classic', 'web'],
      ['npm/__fixtures__/pnpm-v9', 'other'],
    );
    const inv = await scan(dir);
    assert.equal(inv.facts, undefined);
    assert.ok(ids(inv, true, 'web/yarn.lock').length > 0);
    assert.deepEqual(
      ids(inv, true, 'other/pnpm-lock.yaml'),
      ids(await scan(path.join(ECO, 'npm/__fixtures__/pnpm-v9')), true),
    );
  });

  it('conclude nothing without a manifest, or with a local dependency outside the folder', async () => {
    const dir = project('no-manifest', ['npm/__fixtures__/dev-workspace-classic/yarn.lock', 'yarn.lock']);
    assert.deepEqual(ids(await scan(dir), true), []);
    const outside = project('outside', ['npm/__fixtures__/dev-workspace-classic', 'app']);
    const pj = JSON.parse(readFileSync(path.join(outside, 'app/package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    pj.dependencies!['vendored'] = 'file:../../elsewhere';
    writeFileSync(path.join(outside, 'app/package.json'), JSON.stringify(pj));
    assert.deepEqual(ids(await scan(outside), true), []);
  });

  it('conclude nothing from a workspace glob too costly to match', async () => {
    const dir = project('glob', ['npm/__fixtures__/dev-workspace-classic', '.']);
    const pj = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    pj.workspaces = ['packages/*', `${'*/'.repeat(20)}x`];
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pj));
    assert.deepEqual(ids(await scan(dir), true), []);
  });

  it('follow a file: dependency inside the folder: its production dependencies are roots', async () => {
    const dir = project('local-dep', ['npm/__fixtures__/dev-workspace-classic', '.']);
    const pj = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    pj.dependencies!['tool'] = 'file:./tools/tool';
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pj));
    mkdirSync(path.join(dir, 'tools/tool'), { recursive: true });
    writeFileSync(
      path.join(dir, 'tools/tool/package.json'),
      JSON.stringify({
        name: 'tool',
        dependencies: { rimraf: '3.0.2' },
        devDependencies: { semver: '7.6.0' },
      }),
    );
    const inv = await scan(dir);
    assert.ok(ids(inv, false).includes('glob@7.2.3'), 'rimraf is production through the local package');
    assert.ok(ids(inv, true).includes('semver@7.6.0'), "a local package's devDependencies are not installed");
  });

  it('reach bulwark fs (fsInventory) with no manifest fact left in the result', async () => {
    const inv = await fsInventory(path.join(ECO, 'npm/__fixtures__/dev-workspace-berry'));
    assert.deepEqual(ids(inv, true, 'yarn.lock').length, 14);
    assert.ok(!(inv.facts ?? []).some((f) => f.kind === 'manifest'));
  });
});

describe('Cargo.lock dev marks from Cargo.toml', () => {
  it('leave unmarked exactly what `cargo tree -e normal,build` builds, across workspace members', async () => {
    const dir = path.join(ECO, 'cargo/__fixtures__/cargo-workspace-dev');
    const inv = await scan(dir);
    const tree = readFileSync(path.join(dir, 'tree-prod.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.replace(' v', '@'));
    // the workspace's own crates (listed as `cargo metadata` lists them) are built too
    const own = inv.packages
      .filter((p) => p.metadata?.source === 'path')
      .map((p) => `${p.name}@${p.version}`);
    assert.deepEqual(own.sort(), ['app@0.1.0', 'core-lib@0.2.0']);
    assert.deepEqual(ids(inv, false), [...tree, ...own].sort());
    assert.deepEqual(ids(inv, true), ['c@2.0.0', 'f@1.0.0']);
  });

  it('conclude nothing when a path dependency lies outside the scanned folder', async () => {
    const inv = await scan(path.join(ECO, 'cargo/__fixtures__/cargo-v4-vendored'));
    assert.deepEqual(ids(inv, true), []);
  });
});

describe('Gemfile.lock dev marks from the Gemfile', () => {
  it('leave unmarked exactly what `BUNDLE_WITHOUT=development:test bundle list` lists', async () => {
    const dir = path.join(ECO, 'rubygems/__fixtures__/bundler-2.3-git-path');
    const inv = await scan(dir);
    const listed = [
      ...readFileSync(path.join(dir, 'bundle-list-without-dev.txt'), 'utf8').matchAll(
        /^ {2}\* (\S+) \(([^\s)]+)/gm,
      ),
    ].map((m) => `${m[1]}@${m[2]}`);
    assert.deepEqual(ids(inv, false), listed.sort());
    assert.deepEqual(ids(inv, true), ['base64@0.1.1', 'cgi@0.3.7', 'erb@2.2.3']);
  });

  it("take a gemspec project's own PATH gem as a production root; its unknown development dependencies stay unmarked", async () => {
    const dir = path.join(ECO, 'rubygems/__fixtures__/bundler-2.3-gemspec');
    const inv = await scan(dir);
    const listed = [
      ...readFileSync(path.join(dir, 'bundle-list-without-dev.txt'), 'utf8').matchAll(
        /^ {2}\* (\S+) \(([^\s)]+)/gm,
      ),
    ].map((m) => `${m[1]}@${m[2]}`);
    // Bundler leaves out base64 (the gemspec's development dependency) and csv (group :test)
    assert.deepEqual(listed.sort(), ['cgi@0.3.7', 'erb@2.2.3', 'json@2.6.1', 'mylib@1.2.0']);
    assert.deepEqual(ids(inv, true), ['csv@3.2.5']);
    for (const id of listed) assert.ok(ids(inv, false).includes(id), id);
  });

  it('mark nothing when the Gemfile cannot be read statically', async () => {
    const dir = project('dynamic-gemfile', ['rubygems/__fixtures__/bundler-2.3-git-path', '.']);
    const gemfile = readFileSync(path.join(dir, 'Gemfile'), 'utf8');
    writeFileSync(path.join(dir, 'Gemfile'), `${gemfile}eval_gemfile "Gemfile.local"\n`);
    assert.deepEqual(ids(await scan(dir), true), []);
  });
});
