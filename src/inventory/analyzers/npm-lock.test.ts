import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { npmPurl } from '../../ecosystems/npm/index.js';
import { npmLockAnalyzer, packageLockPackages } from './npm-lock.js';
import { pnpmAnalyzer } from './pnpm.js';
import { yarnAnalyzer } from './yarn.js';

const fixture = (dir: string, file: string): Buffer =>
  readFileSync(new URL(`../../ecosystems/npm/__fixtures__/${dir}/${file}`, import.meta.url));

interface LsNode {
  version?: string;
  dependencies?: Record<string, LsNode>;
}

function npmLsIds(json: string): string[] {
  const out = new Set<string>();
  const walk = (deps: Record<string, LsNode> = {}): void => {
    for (const [name, n] of Object.entries(deps)) {
      if (n.version) out.add(`${name}@${n.version}`);
      walk(n.dependencies);
    }
  };
  walk((JSON.parse(json) as LsNode).dependencies);
  return [...out].sort();
}

describe('npm lockfile analyzers', () => {
  it('want project lockfiles only, never the ones inside node_modules', () => {
    assert.ok(npmLockAnalyzer.required('app/package-lock.json', 100));
    assert.ok(npmLockAnalyzer.required('npm-shrinkwrap.json', 100));
    assert.ok(!npmLockAnalyzer.required('app/node_modules/x/package-lock.json', 100));
    assert.ok(!npmLockAnalyzer.required('node_modules/.package-lock.json', 100));
    assert.ok(!npmLockAnalyzer.required('app/package-lock.json', 65 * 1024 * 1024));
    assert.ok(yarnAnalyzer.required('yarn.lock', 10) && !yarnAnalyzer.required('yarn.lock.bak', 10));
    assert.ok(
      pnpmAnalyzer.required('a/pnpm-lock.yaml', 10) &&
        !pnpmAnalyzer.required('node_modules/pnpm-lock.yaml', 10),
    );
    for (const a of [npmLockAnalyzer, yarnAnalyzer, pnpmAnalyzer]) assert.deepEqual(a.targets, ['fs']);
  });

  it('package-lock.json: the graph npm ls --all prints, resolved the way node resolves', () => {
    const text = fixture('peers-npm-lock-v3', 'package-lock.json').toString('utf8');
    const r = packageLockPackages(text);
    assert.deepEqual(r.problems, []);
    const ours = [...new Set(r.packages.map((p) => `${p.name}@${p.version}`))].sort();
    // npm ls names the alias `sw`; the package installed is string-width
    const listed = npmLsIds(fixture('peers-npm-lock-v3', 'ls.json').toString('utf8')).map((id) =>
      id.replace(/^sw@/, 'string-width@'),
    );
    listed.sort();
    assert.deepEqual(ours, listed);
    const dom = r.packages.find((p) => p.name === 'react-dom');
    // peers are edges too: npm installs them and npm ls lists them under the dependent
    assert.deepEqual(dom?.dependsOn, [
      'pkg:npm/loose-envify@1.4.0',
      'pkg:npm/react@18.2.0',
      'pkg:npm/scheduler@0.23.2',
    ]);
  });

  it('package-lock.json: the graph is exactly the one npm ls --all prints', () => {
    const r = packageLockPackages(fixture('peers-npm-lock-v3', 'package-lock.json').toString('utf8'));
    const ours = new Set(r.packages.flatMap((p) => (p.dependsOn ?? []).map((d) => `${p.purl} -> ${d}`)));
    const edges = new Set<string>();
    const alias = (name: string): string => (name === 'sw' ? 'string-width' : name);
    const walk = (parent: string | undefined, deps: Record<string, LsNode> = {}): void => {
      for (const [name, n] of Object.entries(deps)) {
        if (!n.version) continue;
        const purl = npmPurl(alias(name), n.version);
        if (parent) edges.add(`${parent} -> ${purl}`);
        walk(purl, n.dependencies);
      }
    };
    walk(
      undefined,
      (JSON.parse(fixture('peers-npm-lock-v3', 'ls.json').toString('utf8')) as LsNode).dependencies,
    );
    assert.ok(edges.size > 20);
    assert.deepEqual(
      [...ours].filter((e) => !edges.has(e)),
      [],
      'edges npm ls does not print',
    );
    assert.deepEqual(
      [...edges].filter((e) => !ours.has(e)),
      [],
    );
  });

  it('turns lockfile entries into npm packages with location, dev flag and graph', () => {
    const out = npmLockAnalyzer.analyze(
      {
        path: 'srv/app/package-lock.json',
        content: fixture('npm-lock-v3', 'package-lock.json'),
        size: 1,
        mode: 0o644,
      },
      { maxBytes: 1 << 26 },
    );
    assert.equal(out.warnings, undefined);
    const once = out.packages!.find((p) => p.name === 'once');
    assert.deepEqual(once, {
      name: 'once',
      version: '1.4.0',
      ecosystem: 'npm',
      type: 'lang',
      purl: 'pkg:npm/once@1.4.0',
      location: 'srv/app/package-lock.json',
      licenses: ['ISC'],
      metadata: { dev: true },
      dependsOn: ['pkg:npm/wrappy@1.0.2'],
    });
    const yarn = yarnAnalyzer.analyze(
      { path: 'yarn.lock', content: fixture('yarn-berry', 'yarn.lock'), size: 1, mode: 0o644 },
      { maxBytes: 1 << 26 },
    );
    assert.equal(yarn.packages?.length, 12);
    assert.ok(yarn.packages?.every((p) => p.ecosystem === 'npm' && p.location === 'yarn.lock'));
  });

  it('degrades broken files to warnings naming the file', () => {
    for (const [a, path, content] of [
      [npmLockAnalyzer, 'package-lock.json', Buffer.from('{"lockfileVersion":3,"packages":')],
      [yarnAnalyzer, 'yarn.lock', Buffer.from('__metadata:\n  version: 8\n"a@npm:1": [')],
      [pnpmAnalyzer, 'pnpm-lock.yaml', Buffer.from([0x6c, 0x6f, 0xff, 0xfe, 0x3a, 0x0a])],
    ] as const) {
      const out = a.analyze({ path, content, size: content.length, mode: 0o644 }, { maxBytes: 1 << 20 });
      assert.deepEqual(out.packages, []);
      assert.ok(out.warnings?.length, a.id);
      assert.ok(out.warnings.every((w) => w.input === path && w.code === 'NPM_MALFORMED'));
    }
  });
});
