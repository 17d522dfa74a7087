import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseYarnLock, splitSpec } from './yarn.js';

const fixture = (dir: string, file: string): string =>
  readFileSync(new URL(`./__fixtures__/${dir}/${file}`, import.meta.url), 'utf8');

interface YarnTree {
  name: string;
  shadow?: boolean;
  children?: YarnTree[];
}

/** `name@version` of every package `yarn list --json` printed (shadow entries are ranges, not installs). */
function yarnListed(json: string): Set<string> {
  const out = new Set<string>();
  const walk = (nodes: YarnTree[] = []): void => {
    for (const n of nodes) {
      if (!n.shadow) out.add(n.name);
      walk(n.children);
    }
  };
  walk((JSON.parse(json) as { data: { trees: YarnTree[] } }).data.trees);
  return out;
}

const ids = (text: string): Set<string> =>
  new Set(parseYarnLock(text).packages.map((p) => `${p.name}@${p.version}`));

describe('yarn.lock', () => {
  it('splits scoped and plain specs', () => {
    assert.deepEqual(splitSpec('@babel/core@^7.0.0'), { name: '@babel/core', range: '^7.0.0' });
    assert.deepEqual(splitSpec('sw@npm:string-width@4.2.3'), { name: 'sw', range: 'npm:string-width@4.2.3' });
    // yarn 1 writes a dependency declared with an empty range as the bare name
    assert.deepEqual(splitSpec('balanced-match'), { name: 'balanced-match', range: '' });
    assert.equal(splitSpec('not a name'), undefined);
    assert.equal(splitSpec('@scope-only'), undefined);
  });

  for (const dir of ['yarn-classic', 'peers-yarn-classic']) {
    it(`classic ${dir}: lists exactly what yarn 1 list --json reports`, () => {
      const r = parseYarnLock(fixture(dir, 'yarn.lock'));
      assert.deepEqual(r.problems, []);
      // yarn lists an npm alias under its alias (`sw` for `npm:string-width@4.2.3`); bulwark names the real package
      const listed = [...yarnListed(fixture(dir, 'list.json'))].map((id) =>
        id.replace(/^sw@/, 'string-width@'),
      );
      assert.deepEqual([...ids(fixture(dir, 'yarn.lock'))].sort(), listed.sort());
    });
  }

  for (const [berry, classic] of [
    ['yarn-berry', 'yarn-classic'],
    ['peers-yarn-berry', 'peers-yarn-classic'],
  ] as const) {
    it(`berry ${berry}: yarn 4 resolves the same packages and graph as yarn 1 did`, () => {
      const b = parseYarnLock(fixture(berry, 'yarn.lock'));
      const c = parseYarnLock(fixture(classic, 'yarn.lock'));
      assert.deepEqual(b.problems, []);
      assert.deepEqual(b.packages, c.packages);
    });
  }

  it('resolves npm aliases to the real package and keeps the graph', () => {
    const pkgs = parseYarnLock(fixture('peers-yarn-classic', 'yarn.lock')).packages;
    assert.ok(pkgs.some((p) => p.purl === 'pkg:npm/string-width@4.2.3'));
    assert.ok(!pkgs.some((p) => p.name === 'sw'));
    const chalk = parseYarnLock(fixture('yarn-classic', 'yarn.lock')).packages.find(
      (p) => p.name === 'chalk',
    );
    assert.deepEqual(chalk?.dependsOn, ['pkg:npm/ansi-styles@4.3.0', 'pkg:npm/supports-color@7.2.0']);
  });

  it('berry: lists workspace members, patched and file entries marked by source; not the root workspace', () => {
    const text = `__metadata:
  version: 8

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    resolve: "patch:resolve@npm%3A^1.22.0#~builtin<compat/resolve>"
  languageName: unknown
  linkType: soft

"lib@workspace:packages/lib":
  version: 0.0.0-use.local
  resolution: "lib@workspace:packages/lib"
  languageName: unknown
  linkType: soft

"fsevents@patch:fsevents@~2.1.2#builtin<compat/fsevents>":
  version: 2.1.3
  resolution: "fsevents@patch:fsevents@npm%3A2.1.3#builtin<compat/fsevents>::version=2.1.3&hash=87eb42"
  languageName: node
  linkType: hard

"dom@https://github.com/angular/domino.git#f2435fe":
  version: 2.1.6+git
  resolution: "dom@https://github.com/angular/domino.git#commit=f2435fe"
  languageName: node
  linkType: hard

"resolve@patch:resolve@npm%3A^1.22.0#~builtin<compat/resolve>":
  version: 1.22.8
  resolution: "resolve@patch:resolve@npm%3A1.22.8#~builtin<compat/resolve>::version=1.22.8&hash=c3c19d"
  languageName: node
  linkType: hard

"resolve@npm:^1.22.0":
  version: 1.22.8
  resolution: "resolve@npm:1.22.8"
  languageName: node
  linkType: hard

"local@file:../local::locator=app%40workspace%3A.":
  version: 1.0.0
  resolution: "local@file:../local#../local::hash=1&locator=app%40workspace%3A."
  languageName: node
  linkType: hard
`;
    assert.deepEqual(
      parseYarnLock(text).packages.map((p) => [p.purl, p.metadata?.source ?? 'npm']),
      [
        ['pkg:npm/dom@2.1.6+git', 'git'],
        ['pkg:npm/fsevents@2.1.3', 'patch'],
        ['pkg:npm/lib@0.0.0-use.local', 'local'],
        ['pkg:npm/local@1.0.0', 'local'],
        // the patched resolve is the registry's resolve@1.22.8: one package, its registry identity
        ['pkg:npm/resolve@1.22.8', 'npm'],
      ],
    );
  });

  it('classic: lists file:, link: and git entries marked; skips an unknown protocol with nothing resolved', () => {
    const text = `# yarn lockfile v1

"local@file:../local":
  version "1.0.0"

"linked@link:./deps/linked":
  version "2.0.0"

asap@unsupported:~2.0.6:
  version "2.0.6"

"drag@git+https://github.com/jrd/drag.git":
  version "1.1.1"
  resolved "git+https://github.com/jrd/drag.git#538b1126e0d15210e91b4a34ffc223b4fec1ef87"

balanced-match:
  version "1.0.2"
  resolved "https://registry.yarnpkg.com/balanced-match/-/balanced-match-1.0.2.tgz"

left-pad@^1.3.0:
  version "1.3.0"
  resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz"
`;
    const r = parseYarnLock(text);
    assert.deepEqual(
      r.packages.map((p) => [p.purl, p.metadata?.source ?? 'npm']),
      [
        ['pkg:npm/balanced-match@1.0.2', 'npm'],
        ['pkg:npm/drag@1.1.1', 'git'],
        ['pkg:npm/left-pad@1.3.0', 'npm'],
        ['pkg:npm/linked@2.0.0', 'local'],
        ['pkg:npm/local@1.0.0', 'local'],
      ],
    );
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!, /unknown protocol "unsupported"/);
  });

  it('reports malformed input as problems, never throws', () => {
    for (const bad of [
      '__metadata:\n  version: 8\n"a@npm:1": [unclosed',
      'no colon here\n  version "1"\n',
      'x@^1:\n  resolved "u"\n',
      '\uFFFD\uFFFD:\n  version \uFFFD\n',
      `__metadata:\n  version: 8\n${'a: '.repeat(1)}${'['.repeat(5000)}`,
    ]) {
      const r = parseYarnLock(bad);
      assert.ok(Array.isArray(r.packages));
      assert.ok(r.problems.length > 0 || r.packages.length === 0, bad.slice(0, 40));
    }
    assert.ok(parseYarnLock('x@^1:\n  resolved "u"\n').problems.length > 0);
  });
});
