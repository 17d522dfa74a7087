import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { PackageURL } from 'packageurl-js';
import { gitVcsUrl, parseGemfileLock, parseGemspec } from './parse.js';

const fixturePath = (f: string): string => new URL(`./__fixtures__/${f}`, import.meta.url).pathname;

/** Every installed gemspec of Debian's ruby: the default gems and rubygems-integration's. */
function debianGemspecs(): string[] {
  const dirs = ['/usr/lib/ruby/gems', '/usr/share/rubygems-integration'].flatMap((root) =>
    readdirSync(root).flatMap((v) => [
      path.join(root, v, 'specifications'),
      path.join(root, v, 'specifications', 'default'),
    ]),
  );
  return dirs
    .flatMap((d) => {
      try {
        return readdirSync(d)
          .filter((f) => f.endsWith('.gemspec'))
          .map((f) => path.join(d, f));
      } catch {
        return [];
      }
    })
    .sort();
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-gem-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('installed gemspecs', () => {
  it("read the same name, version and licences as RubyGems' own loader for Debian's gems", () => {
    const files = debianGemspecs();
    assert.ok(files.length >= 20, 'Debian ruby installed');
    const listFile = path.join(tmp, 'gemspecs.txt');
    writeFileSync(listFile, files.join('\n'));
    const reference = execFileSync(
      'ruby',
      [
        '-rjson',
        '-e',
        'puts JSON.generate(File.read(ARGV[0]).split("\\n").map { |f| s = Gem::Specification.load(f); [s.name, s.version.to_s, s.licenses] })',
        listFile,
      ],
      { encoding: 'utf8' },
    );
    const expected = (JSON.parse(reference) as [string, string, string[]][]).map(
      ([n, v, l]) => `${n}@${v} ${l.join('|')}`,
    );
    const ours = files.map((f) => {
      const p = parseGemspec(readFileSync(f, 'utf8')).packages[0];
      return p ? `${p.name}@${p.version} ${(p.licenses ?? []).join('|')}` : `unparsed ${f}`;
    });
    assert.deepEqual(ours, expected);
  });

  it('reads older literal forms and never evaluates code', () => {
    const r = parseGemspec(`Gem::Specification.new do |spec|
  spec.name = %q{rack}
  spec.version = Gem::Version.new("2.2.8")
  spec.license = 'MIT'
  spec.files = \`git ls-files\`.split("\\n")
end
`);
    assert.deepEqual(r.packages, [
      { name: 'rack', version: '2.2.8', purl: 'pkg:gem/rack@2.2.8', licenses: ['MIT'] },
    ]);
    const dynamic = parseGemspec(
      'Gem::Specification.new do |s|\n  s.name = "x"\n  s.version = X::VERSION\nend\n',
    );
    assert.deepEqual(dynamic.packages, []);
    assert.equal(dynamic.problems.length, 1);
  });
});

describe('Gemfile.lock', () => {
  function bundlerSpecs(file: string): string[] {
    // Bundler resolves PATH sources against the Gemfile's folder, so give it one
    writeFileSync(path.join(tmp, 'Gemfile'), '');
    const out = execFileSync(
      'ruby',
      [
        '-rbundler',
        '-rjson',
        '-e',
        'l = Bundler::LockfileParser.new(File.read(ARGV[0])); puts JSON.generate(l.specs.map { |s| [s.name, s.version.to_s, s.dependencies.map(&:name).sort] })',
        file,
      ],
      { encoding: 'utf8', cwd: tmp, env: { ...process.env, BUNDLE_GEMFILE: path.join(tmp, 'Gemfile') } },
    );
    const seen = new Map<string, Set<string>>();
    for (const [n, v, deps] of JSON.parse(out) as [string, string, string[]][]) {
      const set = seen.get(`${n}@${v}`) ?? new Set<string>();
      for (const d of deps) set.add(d);
      seen.set(`${n}@${v}`, set);
    }
    return [...seen].map(([id, deps]) => `${id} -> ${[...deps].sort().join(',')}`).sort();
  }

  for (const f of [
    'Gemfile-bundler2.lock',
    'Gemfile-platforms.lock',
    'bundler-2.3-local/Gemfile.lock',
    'bundler-2.3-git-path/Gemfile.lock',
  ]) {
    it(`${f}: every gem (GEM, GIT and PATH sources) and its dependencies, as Bundler's LockfileParser reads them`, () => {
      const r = parseGemfileLock(readFileSync(fixturePath(f), 'utf8'));
      assert.deepEqual(r.problems, []);
      const ours = r.packages
        .map(
          (p) =>
            `${p.name}@${p.version} -> ${(p.dependsOn ?? []).map((d) => PackageURL.fromString(d).name).join(',')}`,
        )
        .sort();
      assert.deepEqual(ours, bundlerSpecs(fixturePath(f)));
    });
  }

  it('drops platform suffixes and deduplicates platform variants', () => {
    const r = parseGemfileLock(readFileSync(fixturePath('Gemfile-platforms.lock'), 'utf8'));
    assert.deepEqual(
      r.packages.filter((p) => p.name === 'nokogiri' || p.name === 'sqlite3').map((p) => p.purl),
      ['pkg:gem/nokogiri@1.15.4', 'pkg:gem/sqlite3@1.6.9'],
    );
  });

  it('reports lines it cannot read and keeps the rest', () => {
    const r = parseGemfileLock(
      'GEM\n  remote: https://rubygems.org/\n  specs:\n    ok (1.0.0)\n    broken line here\n    bad (x.y)\n',
    );
    assert.deepEqual(
      r.packages.map((p) => p.purl),
      ['pkg:gem/ok@1.0.0'],
    );
    assert.equal(r.problems.length, 2);
  });

  it('lists gems from GIT and PATH sections with their source, git ones with a vcs_url purl', () => {
    const r = parseGemfileLock(readFileSync(fixturePath('bundler-2.3-git-path/Gemfile.lock'), 'utf8'));
    assert.deepEqual(r.problems, []);
    const git = r.packages.find((p) => p.name === 'internal-gem')!;
    const rev = 'a89a4f24aaa415aeef7988775c67b3fc4ffb7486';
    assert.deepEqual(git.metadata, {
      source: 'git',
      remote: 'file:///tmp/s2gem/repo',
      revision: rev,
      tag: 'v0.3.0',
    });
    assert.equal(PackageURL.fromString(git.purl).qualifiers?.vcs_url, `git+file:///tmp/s2gem/repo@${rev}`);
    assert.deepEqual(git.dependsOn, ['pkg:gem/json@2.6.1']);
    const local = r.packages.find((p) => p.name === 'billing')!;
    assert.equal(local.purl, 'pkg:gem/billing@0.1.0');
    assert.deepEqual(local.metadata, { source: 'path', path: '../engines/billing' });
    // the PATH gem depends on the GIT gem: the graph crosses sections
    assert.deepEqual(local.dependsOn, [git.purl]);
    assert.equal(r.packages.find((p) => p.name === 'csv')!.metadata, undefined);
  });

  it('reads PLUGIN SOURCE sections and branch/ref options', () => {
    const r = parseGemfileLock(`PLUGIN SOURCE
  remote: git@github.com:example/bundler-plugin.git
  revision: 0123456789abcdef0123456789abcdef01234567
  type: git
  specs:
    bundler-plugin (1.2.0)

GIT
  remote: https://github.com/rails/rails.git
  revision: fedcba9876543210fedcba9876543210fedcba98
  branch: main
  specs:
    actionpack (7.2.0.alpha)
      rack (>= 2.2.4)
    rails (7.2.0.alpha)
      actionpack (= 7.2.0.alpha)

GEM
  remote: https://rubygems.org/
  specs:
    rack (3.0.8)

DEPENDENCIES
  rails!
`);
    assert.deepEqual(r.problems, []);
    const byName = new Map(r.packages.map((p) => [p.name, p]));
    assert.deepEqual(byName.get('bundler-plugin')!.metadata, {
      source: 'plugin',
      remote: 'git@github.com:example/bundler-plugin.git',
      revision: '0123456789abcdef0123456789abcdef01234567',
      type: 'git',
    });
    assert.equal(
      PackageURL.fromString(byName.get('bundler-plugin')!.purl).qualifiers?.vcs_url,
      'git+ssh://git@github.com/example/bundler-plugin.git@0123456789abcdef0123456789abcdef01234567',
    );
    assert.equal(byName.get('rails')!.metadata!.branch, 'main');
    assert.deepEqual(byName.get('rails')!.dependsOn, [byName.get('actionpack')!.purl]);
    assert.deepEqual(byName.get('actionpack')!.dependsOn, ['pkg:gem/rack@3.0.8']);
    assert.equal(gitVcsUrl('https://example.org/x.git', undefined), 'git+https://example.org/x.git');
  });
});
