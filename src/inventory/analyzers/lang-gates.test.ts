import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Analyzer } from '../types.js';
import { cargoLockAnalyzer } from './cargo-lock.js';
import { composerLockAnalyzer } from './composer-lock.js';
import { composerAnalyzer } from './composer.js';
import { dotnetDepsAnalyzer } from './dotnet-deps.js';
import { gemLockAnalyzer } from './gem-lock.js';
import { gemAnalyzer } from './gem.js';
import { nugetLockAnalyzer } from './nuget-lock.js';
import { pythonLockAnalyzer } from './python-lock.js';
import { pythonAnalyzer } from './python.js';

const SMALL = 1000;

function wants(a: Analyzer, yes: string[], no: string[]): void {
  for (const p of yes) assert.equal(a.required(p, SMALL), true, `${a.id} wants ${p}`);
  for (const p of no) assert.equal(a.required(p, SMALL), false, `${a.id} ignores ${p}`);
}

describe('language analyzer gates', () => {
  it('installed metadata analyzers run everywhere; lockfile analyzers only for folders', () => {
    for (const a of [pythonAnalyzer, gemAnalyzer, composerAnalyzer, dotnetDepsAnalyzer])
      assert.equal(a.targets, undefined);
    for (const a of [
      pythonLockAnalyzer,
      gemLockAnalyzer,
      composerLockAnalyzer,
      nugetLockAnalyzer,
      cargoLockAnalyzer,
    ])
      assert.deepEqual(a.targets, ['fs']);
  });

  it('python: dist-info METADATA, egg-info PKG-INFO and single-file egg-info', () => {
    wants(
      pythonAnalyzer,
      [
        'usr/lib/python3/dist-packages/packaging-23.0.dist-info/METADATA',
        'opt/venv/lib/python3.12/site-packages/requests-2.31.0.dist-info/METADATA',
        'usr/lib/python3/dist-packages/PyJWT-2.6.0.egg-info/PKG-INFO',
        'usr/lib/python3/dist-packages/rpm-4.18.0.egg-info',
      ],
      [
        'usr/lib/python3/dist-packages/packaging-23.0.dist-info/RECORD',
        'src/mylib.egg-info',
        'usr/lib/python3/dist-packages/x.dist-info/METADATA.bak',
      ],
    );
    assert.equal(pythonAnalyzer.required('a.dist-info/METADATA', 5 * 1024 * 1024), false);
    wants(
      pythonLockAnalyzer,
      ['requirements.txt', 'app/requirements-dev.txt', 'poetry.lock', 'svc/Pipfile.lock', 'uv.lock'],
      [
        'requirements.in',
        'Pipfile',
        'pyproject.toml',
        'venv/lib/python3.12/site-packages/x/requirements.txt',
      ],
    );
  });

  it('ruby: installed specifications and Gemfile.lock', () => {
    wants(
      gemAnalyzer,
      [
        'usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec',
        'usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec',
        'usr/local/bundle/specifications/rack-2.2.8.gemspec',
        'specifications/default/json-2.6.1.gemspec',
      ],
      [
        'app/mygem.gemspec',
        'usr/local/bundle/gems/rack-2.2.8/rack.gemspec',
        'my-specifications/x.gemspec',
        'specifications/x/y.gemspec',
      ],
    );
    wants(
      gemLockAnalyzer,
      ['Gemfile.lock', 'app/gems.locked'],
      ['Gemfile', 'vendor/bundle/ruby/3.1.0/gems/x/Gemfile.lock'],
    );
  });

  it('php, .NET and Rust', () => {
    wants(
      composerAnalyzer,
      ['var/www/vendor/composer/installed.json', 'vendor/composer/installed.json'],
      ['installed.json'],
    );
    wants(composerLockAnalyzer, ['composer.lock', 'app/composer.lock'], ['vendor/acme/lib/composer.lock']);
    wants(dotnetDepsAnalyzer, ['app/MyApp.deps.json'], ['app/MyApp.runtimeconfig.json', 'deps.json.bak']);
    wants(nugetLockAnalyzer, ['src/App/packages.lock.json'], ['packages.config']);
    wants(cargoLockAnalyzer, ['Cargo.lock', 'crates/x/Cargo.lock'], ['Cargo.toml']);
  });

  it('turns parser problems into warnings naming the file, with the OSV ecosystem on packages', () => {
    const content = Buffer.from(
      'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.8)\n    ???\n',
    );
    const out = gemLockAnalyzer.analyze(
      { path: 'app/Gemfile.lock', content, size: content.length, mode: 0o644 },
      { maxBytes: 1 << 20 },
    );
    assert.deepEqual(out.packages, [
      {
        name: 'rack',
        version: '2.2.8',
        ecosystem: 'RubyGems',
        type: 'lang',
        purl: 'pkg:gem/rack@2.2.8',
        location: 'app/Gemfile.lock',
      },
    ]);
    assert.deepEqual(
      out.warnings?.map((w) => [w.code, w.input]),
      [['RUBYGEMS_MALFORMED', 'app/Gemfile.lock']],
    );
  });
});
