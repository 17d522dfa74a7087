import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { npmPurl } from './parse.js';
import { parsePnpmKey, parsePnpmLock } from './pnpm.js';

const fixture = (dir: string, file: string): string =>
  readFileSync(new URL(`./__fixtures__/${dir}/${file}`, import.meta.url), 'utf8');

interface ListNode {
  from?: string;
  version: string;
  dependencies?: Record<string, ListNode>;
  devDependencies?: Record<string, ListNode>;
  optionalDependencies?: Record<string, ListNode>;
}

/** `name@version` of every package in `pnpm list --json --depth Infinity` (aliases under their real name). */
function pnpmListed(json: string): Set<string> {
  const out = new Set<string>();
  const walk = (deps: Record<string, ListNode> | undefined): void => {
    for (const [alias, n] of Object.entries(deps ?? {})) {
      out.add(`${n.from ?? alias}@${n.version}`);
      walk(n.dependencies);
      walk(n.optionalDependencies);
    }
  };
  for (const root of JSON.parse(json) as ListNode[]) {
    walk(root.dependencies);
    walk(root.devDependencies);
    walk(root.optionalDependencies);
  }
  return out;
}

const all = (text: string): string[] =>
  parsePnpmLock(text)
    .packages.map((p) => `${p.name}@${p.version}`)
    .sort();
const prod = (text: string): string[] =>
  parsePnpmLock(text)
    .packages.filter((p) => !p.dev)
    .map((p) => `${p.name}@${p.version}`)
    .sort();

describe('pnpm-lock.yaml', () => {
  it('reads v5, v6 and v9 keys', () => {
    assert.deepEqual(parsePnpmKey('/@emotion/react/11.11.1_3mjolpizrsjgnt7s4ahgoveqvu', 5.4), {
      name: '@emotion/react',
      version: '11.11.1',
    });
    assert.deepEqual(parsePnpmKey('/react-dom/18.2.0_react@18.2.0', 5.4), {
      name: 'react-dom',
      version: '18.2.0',
    });
    assert.deepEqual(parsePnpmKey('/@emotion/react@11.11.1(@types/react@18.2.0)(react@18.2.0)', 6), {
      name: '@emotion/react',
      version: '11.11.1',
    });
    assert.deepEqual(parsePnpmKey('lodash_merge@1.0.0', 9), { name: 'lodash_merge', version: '1.0.0' });
    assert.equal(parsePnpmKey('/nonsense', 6), undefined);
  });

  for (const dir of ['pnpm-v9', 'peers-pnpm-v9']) {
    it(`${dir}: lists exactly what pnpm 9 list --json --depth Infinity reports`, () => {
      const text = fixture(dir, 'pnpm-lock.yaml');
      assert.deepEqual(parsePnpmLock(text).problems, []);
      assert.deepEqual(all(text), [...pnpmListed(fixture(dir, 'list.json'))].sort());
    });
  }

  for (const dir of ['pnpm-v9', 'peers-pnpm-v9']) {
    it(`${dir}: dev-only packages are the ones pnpm list --prod leaves out`, () => {
      const text = fixture(dir, 'pnpm-lock.yaml');
      assert.deepEqual(prod(text), [...pnpmListed(fixture(dir, 'list-prod.json'))].sort());
    });
  }

  it('marks dev-only packages (once, ms@2.1.3) but not what production also reaches', () => {
    const pkgs = parsePnpmLock(fixture('pnpm-v9', 'pnpm-lock.yaml')).packages;
    const dev = pkgs.filter((p) => p.dev).map((p) => p.purl);
    assert.deepEqual(dev, ['pkg:npm/ms@2.1.3', 'pkg:npm/once@1.4.0']);
  });

  for (const base of ['pnpm', 'peers-pnpm']) {
    it(`${base}: pnpm 7 (v5.4), 8 (v6) and 9 lockfiles of one project give the same packages, dev flags and graph`, () => {
      const v9 = parsePnpmLock(fixture(`${base}-v9`, 'pnpm-lock.yaml'));
      for (const old of ['v5', 'v6']) {
        const r = parsePnpmLock(fixture(`${base}-${old}`, 'pnpm-lock.yaml'));
        assert.deepEqual(r.problems, []);
        assert.deepEqual(r.packages, v9.packages, old);
      }
    });
  }

  for (const dir of ['pnpm-v9', 'peers-pnpm-v9']) {
    it(`${dir}: the graph is exactly the one pnpm list --json --depth Infinity prints`, () => {
      const r = parsePnpmLock(fixture(dir, 'pnpm-lock.yaml'));
      const ours = new Set(r.packages.flatMap((p) => (p.dependsOn ?? []).map((d) => `${p.purl} -> ${d}`)));
      const edges = new Set<string>();
      const walk = (parent: string | undefined, deps: Record<string, ListNode> = {}): void => {
        for (const [alias, n] of Object.entries(deps)) {
          const purl = npmPurl(n.from ?? alias, n.version);
          if (parent) edges.add(`${parent} -> ${purl}`);
          walk(purl, n.dependencies);
          walk(purl, n.optionalDependencies);
        }
      };
      for (const root of JSON.parse(fixture(dir, 'list.json')) as ListNode[]) {
        walk(undefined, root.dependencies);
        walk(undefined, root.devDependencies);
        walk(undefined, root.optionalDependencies);
      }
      assert.ok(edges.size > 5);
      assert.deepEqual(
        [...ours].filter((e) => !edges.has(e)),
        [],
        'edges pnpm does not print',
      );
      assert.deepEqual(
        [...edges].filter((e) => !ours.has(e)),
        [],
        'edges bulwark misses',
      );
    });
  }

  it('keeps the dependency graph through aliases and peer suffixes', () => {
    const pkgs = parsePnpmLock(fixture('peers-pnpm-v9', 'pnpm-lock.yaml')).packages;
    const dom = pkgs.find((p) => p.name === 'react-dom');
    assert.ok(dom?.dependsOn?.includes('pkg:npm/scheduler@0.23.2'));
    assert.ok(pkgs.some((p) => p.purl === 'pkg:npm/string-width@4.2.3' && !p.dev));
    // a dev dependency that is also an auto-installed peer of a production one is production
    assert.ok(pkgs.some((p) => p.name === '@types/react' && !p.dev));
  });

  it('skips linked workspace packages and keeps tarball dependencies by their entry name', () => {
    const text = `lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      lib:
        specifier: workspace:*
        version: link:packages/lib
      tar-dep:
        specifier: https://example.test/tar-dep-1.2.3.tgz
        version: https://example.test/tar-dep-1.2.3.tgz
packages:
  tar-dep@https://example.test/tar-dep-1.2.3.tgz:
    resolution: {tarball: https://example.test/tar-dep-1.2.3.tgz}
    name: tar-dep
    version: 1.2.3
snapshots:
  tar-dep@https://example.test/tar-dep-1.2.3.tgz: {}
`;
    const r = parsePnpmLock(text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.packages.map((p) => [p.purl, p.dev ?? false]),
      [['pkg:npm/tar-dep@1.2.3', false]],
    );
  });

  it("v5 keys as pnpm's dependency-path reads them: a registry host first, only semver versions", () => {
    assert.deepEqual(parsePnpmKey('registry.npmjs.org/@foo/bar/1.1.0', 5.3), {
      name: '@foo/bar',
      version: '1.1.0',
    });
    assert.deepEqual(parsePnpmKey('example.com/foo/1.3.0_bar@2.0.0', 5.3), { name: 'foo', version: '1.3.0' });
    assert.deepEqual(parsePnpmKey('/foo/1.4.0_@types+babel__core@7.1.14', 5.3), {
      name: 'foo',
      version: '1.4.0',
    });
    assert.equal(parsePnpmKey('github.com/kevva/is-positive', 5.3), undefined);
    assert.equal(parsePnpmKey('/foo/bar', 5.3), undefined);
  });

  it("lists file: packages with the entry's version or none, reached from production", () => {
    const r = parsePnpmLock(`lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      package1:
        specifier: file:package1
        version: file:package1
packages:
  package1@file:package1:
    resolution: {directory: package1, type: directory}
  asynckit@0.4.0:
    resolution: {integrity: sha512-x}
snapshots:
  package1@file:package1:
    dependencies:
      asynckit: 0.4.0
  asynckit@0.4.0: {}
`);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.packages.map((p) => [p.name, p.version, p.metadata?.source ?? 'npm', p.dev ?? false]),
      [
        ['asynckit', '0.4.0', 'npm', false],
        ['package1', '', 'local', false],
      ],
    );
  });

  it("skips pnpm 11's env lockfile document (the package manager itself) before the project's", () => {
    const env = `lockfileVersion: '9.0'
importers:
  .:
    configDependencies: {}
    packageManagerDependencies:
      pnpm: {specifier: ^11.7.0, version: 11.9.0}
packages:
  pnpm@11.9.0:
    resolution: {integrity: sha512-x}
snapshots:
  pnpm@11.9.0: {}
`;
    const project = `lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      is-number: {specifier: 7.0.0, version: 7.0.0}
packages:
  is-number@7.0.0:
    resolution: {integrity: sha512-y}
snapshots:
  is-number@7.0.0: {}
`;
    const r = parsePnpmLock(`---\n${env}\n---\n${project}`);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.packages.map((p) => p.purl),
      ['pkg:npm/is-number@7.0.0'],
    );
    assert.match(parsePnpmLock(`${project}\n---\n${project}`).problems[0]!, /2 lockfile documents/);
  });

  it('reports malformed input as problems, never throws', () => {
    for (const bad of [
      'lockfileVersion: [',
      'just a string',
      'packages: {}',
      "lockfileVersion: '9.0'\npackages:\n  nonsense: {}\n",
      `lockfileVersion: '9.0'\npackages: ${'['.repeat(3000)}`,
    ]) {
      const r = parsePnpmLock(bad);
      assert.ok(r.problems.length > 0, bad.slice(0, 40));
    }
    // aliases are shared references: a "billion laughs" document costs nothing and lists nothing
    const laughs = parsePnpmLock(
      "lockfileVersion: '9.0'\na: &a [x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
    );
    assert.deepEqual(laughs, { packages: [], problems: [] });
  });
});
