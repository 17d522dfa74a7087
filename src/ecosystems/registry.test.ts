import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isBulwarkError } from '../core/errors.js';
import {
  compareVersions,
  ecosystemBase,
  normalizePackageName,
  purlType,
  supportedEcosystems,
  versionScheme,
} from './index.js';
import { ECOSYSTEMS, SCHEMES } from './registry.js';

const dir = new URL('.', import.meta.url).pathname;
const folders = readdirSync(dir).filter((n) => !n.startsWith('_') && statSync(`${dir}${n}`).isDirectory());

describe('ecosystem registry contract', () => {
  it('registers every scheme folder, and every registered family has a folder', () => {
    assert.deepEqual([...folders].sort(), Object.keys(SCHEMES).sort());
  });

  it('gives each folder an index.ts, a version.ts and a version.test.ts', () => {
    for (const f of folders) {
      for (const file of ['index.ts', 'version.ts', 'version.test.ts']) {
        assert.ok(existsSync(`${dir}${f}/${file}`), `${f}/${file} is missing`);
      }
    }
  });

  it('keeps both tables sorted', () => {
    const schemes = Object.keys(SCHEMES);
    assert.deepEqual(schemes, [...schemes].sort());
    const names = Object.keys(ECOSYSTEMS);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })),
    );
  });

  it('has unique scheme ids and unique names ignoring case', () => {
    const ids = Object.values(SCHEMES).map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
    const lower = Object.keys(ECOSYSTEMS).map((n) => n.toLowerCase());
    assert.equal(new Set(lower).size, lower.length);
  });

  it('points every ecosystem at a known family with a purl type', () => {
    for (const [name, e] of Object.entries(ECOSYSTEMS)) {
      assert.ok(Object.hasOwn(SCHEMES, e.family), `${name} -> ${e.family}`);
      assert.match(e.purl, /^[a-z]+$/, name);
    }
  });
});

describe('ecosystems public API', () => {
  it('strips release qualifiers from ecosystem names', () => {
    assert.equal(ecosystemBase('Debian:12'), 'Debian');
    assert.equal(ecosystemBase('Ubuntu:22.04:LTS'), 'Ubuntu');
    assert.equal(ecosystemBase('Ubuntu:Pro:18.04:LTS'), 'Ubuntu');
    assert.equal(ecosystemBase('Alpine:v3.19'), 'Alpine');
    assert.equal(ecosystemBase('Red Hat:enterprise_linux:9::appstream'), 'Red Hat');
    assert.equal(ecosystemBase('npm'), 'npm');
    assert.equal(ecosystemBase('debian:11'), 'Debian');
    assert.equal(ecosystemBase('Hackage'), 'Hackage');
  });

  it('finds the scheme for release-qualified names', () => {
    assert.equal(versionScheme('Debian:12')?.id, 'dpkg');
    assert.equal(versionScheme('Ubuntu:22.04:LTS')?.id, 'dpkg');
    assert.equal(versionScheme('Alpine:v3.19')?.id, 'apk');
    assert.equal(versionScheme('Wolfi')?.id, 'apk');
    assert.equal(versionScheme('Chainguard')?.id, 'apk');
    assert.equal(versionScheme('Rocky Linux:9')?.id, 'rpm');
    assert.equal(versionScheme('openSUSE:Tumbleweed')?.id, 'rpm');
    assert.equal(versionScheme('crates.io')?.id, 'cargo');
    assert.equal(versionScheme('Hackage'), undefined);
    assert.equal(versionScheme('constructor'), undefined);
  });

  it('compares through the ecosystem name', () => {
    assert.equal(compareVersions('Debian:12', '1.0~rc1', '1.0'), -1);
    assert.equal(compareVersions('PyPI', '1.0.post1', '1.0'), 1);
    assert.equal(compareVersions('Go', 'v1.2.3', '1.2.3'), 0);
  });

  it('throws typed errors for unknown ecosystems and invalid versions', () => {
    assert.throws(
      () => compareVersions('Hackage', '1', '2'),
      (e: unknown) => isBulwarkError(e) && e.code === 'UNSUPPORTED',
    );
    assert.throws(
      () => compareVersions('npm', '1.0', '1.0.0'),
      (e: unknown) => isBulwarkError(e) && e.code === 'MALFORMED_INPUT',
    );
  });

  it('bounds the length of versions', () => {
    const long = `1.${'0'.repeat(300)}`;
    for (const e of supportedEcosystems()) {
      const s = versionScheme(e)!;
      assert.equal(s.isValid(long), false, e);
      assert.throws(
        () => s.compare(long, '1'),
        (err: unknown) => isBulwarkError(err) && err.code === 'MALFORMED_INPUT',
      );
    }
  });

  it('handles inputs built to make regular expressions backtrack', () => {
    // Each of these once took exponential time in some parser; the test timeout is the bound.
    const d = (n: number): string => '1'.repeat(n);
    const inputs = [
      `1.0-beta${d(240)}x`,
      `1.0-beta${'.1'.repeat(120)}x`,
      `1${'.1'.repeat(126)}!`,
      `1${'-1'.repeat(126)}!`,
      `1.0${'a1'.repeat(125)}`,
      `1.0${'.dev'.repeat(60)}`,
      `1.0+${'a.'.repeat(125)}`,
      `2010${'-01'.repeat(80)}x`,
      `1.0-b${'-1'.repeat(100)}-devx`,
    ];
    for (const e of supportedEcosystems()) {
      const s = versionScheme(e)!;
      for (const v of inputs) {
        if (s.isValid(v)) assert.equal(s.compare(v, v), 0);
        else assert.equal(s.isValid(v), false);
      }
    }
  });

  it('normalises package names per ecosystem', () => {
    assert.equal(normalizePackageName('PyPI', 'Django_REST.framework'), 'django-rest-framework');
    assert.equal(normalizePackageName('NuGet', 'Newtonsoft.Json'), 'newtonsoft.json');
    assert.equal(normalizePackageName('Packagist', 'Symfony/HTTP-Kernel'), 'symfony/http-kernel');
    assert.equal(normalizePackageName('crates.io', 'Serde_JSON'), 'serde-json');
    assert.equal(normalizePackageName('npm', 'JSONStream'), 'JSONStream');
    assert.equal(normalizePackageName('Maven', 'org.Apache:Foo'), 'org.Apache:Foo');
    assert.equal(normalizePackageName('Go', 'github.com/BurntSushi/toml'), 'github.com/BurntSushi/toml');
    assert.equal(normalizePackageName('Debian:12', 'libssl3'), 'libssl3');
    assert.equal(normalizePackageName('Hackage', 'Foo'), 'Foo');
  });

  it('maps ecosystems to purl types', () => {
    const expected: Record<string, string> = {
      Debian: 'deb',
      'Ubuntu:22.04:LTS': 'deb',
      Alpine: 'apk',
      'Red Hat': 'rpm',
      npm: 'npm',
      PyPI: 'pypi',
      Maven: 'maven',
      Go: 'golang',
      RubyGems: 'gem',
      'crates.io': 'cargo',
      Packagist: 'composer',
      NuGet: 'nuget',
    };
    for (const [e, t] of Object.entries(expected)) assert.equal(purlType(e), t, e);
    assert.equal(purlType('Hackage'), undefined);
  });

  it('lists the supported ecosystems sorted', () => {
    const list = supportedEcosystems();
    for (const e of [
      'Alpine',
      'Debian',
      'Go',
      'Maven',
      'npm',
      'NuGet',
      'Packagist',
      'PyPI',
      'Red Hat',
      'RubyGems',
      'crates.io',
      'Ubuntu',
      'Wolfi',
    ]) {
      assert.ok(list.includes(e), e);
    }
  });
});
