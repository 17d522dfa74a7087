import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseGemfileLock, parseGemspec } from './parse.js';

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
        'l = Bundler::LockfileParser.new(File.read(ARGV[0])); puts JSON.generate(l.specs.select { |s| s.source.is_a?(Bundler::Source::Rubygems) }.map { |s| [s.name, s.version.to_s, s.dependencies.map(&:name).sort] })',
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

  for (const f of ['Gemfile-bundler2.lock', 'Gemfile-platforms.lock', 'bundler-2.3-local/Gemfile.lock']) {
    it(`${f}: the gem-server gems and their dependencies Bundler's LockfileParser reads`, () => {
      const r = parseGemfileLock(readFileSync(fixturePath(f), 'utf8'));
      assert.deepEqual(r.problems, []);
      const ours = r.packages
        .map(
          (p) =>
            `${p.name}@${p.version} -> ${(p.dependsOn ?? []).map((d) => d.slice(8, d.lastIndexOf('@'))).join(',')}`,
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
});
