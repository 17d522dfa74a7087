import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  isValidNpmName,
  nameFromLockPath,
  npmPurl,
  parseInstalledPackageJson,
  parsePackageLock,
} from './parse.js';

const FIX = path.join(import.meta.dirname, '__fixtures__');
const PEERS = path.join(import.meta.dirname, '../../../test/fixtures/inventory-peers');

/**
 * npm's own reading of a lockfile: `npm ls --all --package-lock-only --json`, flattened. With
 * `versionless`, packages npm lists without a version (a git dependency whose package.json has
 * none, a workspace member without one) count as `name@`.
 */
function npmLs(dir: string, versionless = false): string[] {
  // npm ls exits 1 when the tree has problems (a missing or extraneous package) but still prints it
  const out = spawnSync('npm', ['ls', '--all', '--package-lock-only', '--json'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).stdout;
  const seen = new Set<string>();
  const walk = (deps: Record<string, { version?: string; dependencies?: object }> | undefined): void => {
    for (const [name, d] of Object.entries(deps ?? {})) {
      if (d.version) seen.add(`${name}@${d.version}`);
      else if (versionless && (d as { resolved?: string }).resolved) seen.add(`${name}@`);
      walk(d.dependencies as Record<string, { version?: string }> | undefined);
    }
  };
  walk((JSON.parse(out) as { dependencies?: Record<string, { version?: string }> }).dependencies);
  return [...seen].sort();
}

describe('parsePackageLock', () => {
  for (const v of [1, 2, 3]) {
    it(`lists exactly what npm itself reads from a real lockfile v${v}`, () => {
      const dir = path.join(FIX, `lock-v${v}`);
      const parsed = parsePackageLock(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
      assert.deepEqual(parsed.problems, []);
      const ours = [...new Set(parsed.packages.map((p) => `${p.name}@${p.version}`))].sort();
      assert.deepEqual(ours, npmLs(dir));
      const devMs = parsed.packages.find((p) => p.name === 'ms' && p.version === '2.0.0');
      assert.equal(devMs?.dev, true, 'ms@2.0.0 is a devDependency');
      assert.equal(parsed.packages.find((p) => p.name === 'debug')?.dev, false);
      assert.equal(parsed.packages.find((p) => p.name === 'is-number')?.optional, true);
      const nested = parsed.packages.find((p) => p.name === 'ms' && p.version === '2.1.2');
      assert.equal(nested?.path, 'node_modules/debug/node_modules/ms');
      assert.deepEqual(parsed.packages.find((p) => p.name === 'debug')?.dependencies, ['ms']);
    });
  }

  // the peers' fixtures (test/fixtures/inventory-peers): workspace links and a broken link
  for (const [peer, file] of [
    ['trivy', 'pkg/dependency/parser/nodejs/npm/testdata/package-lock_v3_with_workspace.json'],
    ['trivy', 'pkg/dependency/parser/nodejs/npm/testdata/package-lock_v3_with_workspace_as_object.json'],
    ['trivy', 'pkg/dependency/parser/nodejs/npm/testdata/package-lock_v3_without_root_deps_field.json'],
    ['trivy', 'pkg/dependency/parser/nodejs/npm/testdata/package-lock_v3_broken_link.json'],
  ] as const) {
    it(`lists what npm ls lists for ${path.basename(file)}: workspace members by their link name`, () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-npmls-'));
      try {
        copyFileSync(path.join(PEERS, peer, 'files', file), path.join(dir, 'package-lock.json'));
        const parsed = parsePackageLock(readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
        const ours = [...new Set(parsed.packages.map((p) => `${p.name}@${p.version}`))].sort();
        assert.deepEqual(ours, npmLs(dir, true));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('a file: folder no node_modules link points to is not installed: npm ls reports it missing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-npmls-'));
    try {
      const lock = path.join(dir, 'package-lock.json');
      copyFileSync(
        path.join(
          PEERS,
          'osv-scalibr/files/extractor/filesystem/language/javascript/packagelockjson/testdata/files.v2.json',
        ),
        lock,
      );
      const out = spawnSync('npm', ['ls', '--all', '--package-lock-only', '--json'], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).stdout;
      const problems = (JSON.parse(out) as { problems?: string[] }).problems ?? [];
      assert.ok(
        problems.some((p) => p.startsWith('missing: etag@file:./deps/etag')),
        problems.join('; '),
      );
      const parsed = parsePackageLock(readFileSync(lock, 'utf8'));
      assert.deepEqual(
        parsed.packages.map((p) => `${p.name}@${p.version}`),
        ['abbrev@2.3.4', 'abbrev@1.0.9'],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('v3: a git package without a version is listed as npm ls prints it (`raven-js@`)', () => {
    const git = 'git+ssh://git@github.com/getsentry/raven-js.git#c2b377e7a254264fd4a1fe328e4e3cfc9e245570';
    const parsed = parsePackageLock(
      JSON.stringify({
        lockfileVersion: 3,
        packages: { '': {}, 'node_modules/raven-js': { resolved: git }, 'node_modules/nothing': {} },
      }),
    );
    assert.deepEqual(
      parsed.packages.map((p) => [p.name, p.version, p.git]),
      [['raven-js', '', true]],
    );
    assert.equal(parsed.problems.length, 1, 'an entry with neither version nor git source is a problem');
  });

  it('v1: aliases by their real name, git and file: dependencies without the spec as version', () => {
    const parsed = parsePackageLock(
      JSON.stringify({
        lockfileVersion: 1,
        dependencies: {
          'cf-alias': { version: 'npm:@babel/code-frame@7.0.0' },
          'is-number': { version: 'github:jonschlinkert/is-number#af885e2e890b9ef0875edd2b117305119ee5bdc5' },
          local: { version: 'file:deps/local' },
        },
      }),
    );
    assert.deepEqual(
      parsed.packages.map((p) => [p.name, p.version, p.git ?? p.local ?? false]),
      [
        ['@babel/code-frame', '7.0.0', false],
        ['is-number', '', true],
        ['local', '', true],
      ],
    );
  });

  it('reports malformed lockfiles as problems, never throws', () => {
    assert.equal(parsePackageLock('{not json').problems.length, 1);
    assert.equal(parsePackageLock('[1,2]').problems.length, 1);
    assert.match(parsePackageLock('{"name":"x"}').problems[0]!, /not an npm lockfile/);
    const bad = parsePackageLock(
      JSON.stringify({
        lockfileVersion: 3,
        packages: { '': {}, 'node_modules/a': {}, 'node_modules/../../etc': { version: '1.0.0' } },
      }),
    );
    assert.equal(bad.packages.length, 0);
    assert.equal(bad.problems.length, 2);
  });

  it('bounds the nesting of v1 trees', () => {
    let deps: Record<string, unknown> = {};
    const root = deps;
    for (let i = 0; i < 400; i++) {
      const child: Record<string, unknown> = {};
      deps.a = { version: '1.0.0', dependencies: child };
      deps = child;
    }
    const parsed = parsePackageLock(JSON.stringify({ lockfileVersion: 1, dependencies: root }));
    assert.equal(parsed.packages.length, 257);
    assert.ok(parsed.problems.some((p) => /deeper than 256/.test(p)));
  });
});

describe('parseInstalledPackageJson', () => {
  it('reads name, version and licence in their historic shapes', () => {
    const p = parseInstalledPackageJson(
      '{"name":"@types/node","version":"20.1.0","license":"MIT","dependencies":{"b":"1","a":"2"}}',
    );
    assert.deepEqual(p.packages[0], {
      name: '@types/node',
      version: '20.1.0',
      path: '',
      dev: false,
      optional: false,
      license: 'MIT',
      dependencies: ['a', 'b'],
    });
    assert.equal(
      parseInstalledPackageJson('{"name":"x","version":"1.0.0","license":{"type":"BSD"}}').packages[0]
        ?.license,
      'BSD',
    );
    assert.equal(
      parseInstalledPackageJson(
        '{"name":"x","version":"1.0.0","licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}',
      ).packages[0]?.license,
      'MIT OR Apache-2.0',
    );
  });

  it('skips manifests without a valid name or version', () => {
    assert.equal(parseInstalledPackageJson('{"name":"x"}').packages.length, 0);
    assert.equal(parseInstalledPackageJson('{"name":"../evil","version":"1.0.0"}').packages.length, 0);
    assert.equal(parseInstalledPackageJson('\u0000\u0001').problems.length, 1);
  });
});

describe('names and purls', () => {
  it('maps scoped names to purl namespaces', () => {
    assert.equal(npmPurl('@babel/core', '7.0.0'), 'pkg:npm/%40babel/core@7.0.0');
    assert.equal(npmPurl('lodash', '4.17.15'), 'pkg:npm/lodash@4.17.15');
    assert.equal(nameFromLockPath('node_modules/a/node_modules/@s/b'), '@s/b');
    assert.ok(isValidNpmName('@s/b') && !isValidNpmName('@s') && !isValidNpmName('a/b/c'));
  });
});
