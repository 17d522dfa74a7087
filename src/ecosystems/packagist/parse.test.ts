import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseComposerLock, parseInstalledJson } from './parse.js';

const fixture = (f: string): string => readFileSync(new URL(`./__fixtures__/${f}`, import.meta.url), 'utf8');
const short = (r: { packages: { name: string; version: string; dev?: boolean }[] }): string[] =>
  r.packages.map((p) => `${p.name}@${p.version}${p.dev ? ' dev' : ''}`);

const ALL = [
  'guzzlehttp/guzzle@6.5.8',
  'guzzlehttp/promises@1.5.2',
  'guzzlehttp/psr7@1.9.0',
  'pear/log@1.13.3 dev',
  'pear/pear_exception@v1.0.2 dev',
  'psr/http-message@1.0.1',
  'ralouphie/getallheaders@3.0.3',
  'symfony/polyfill-intl-idn@v1.27.0',
  'symfony/polyfill-intl-normalizer@v1.27.0',
  'symfony/polyfill-php72@v1.27.0',
];

interface Shown {
  installed: { name: string; version: string }[];
}

/** `name@version` (lowercased name) of what `composer show --format=json` printed. */
const shown = (f: string): string[] =>
  (JSON.parse(fixture(f)) as Shown).installed.map((p) => `${p.name.toLowerCase()}@${p.version}`).sort();

describe('Composer 2.5 output', () => {
  const dir = 'composer-2.5-path';
  it('composer.lock lists what composer show lists; packages-dev are the ones --no-dev leaves out', () => {
    const r = parseComposerLock(fixture(`${dir}/composer.lock`));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`).sort(), shown(`${dir}/show.json`));
    assert.deepEqual(
      r.packages
        .filter((p) => !p.dev)
        .map((p) => `${p.name}@${p.version}`)
        .sort(),
      shown(`${dir}/show-no-dev.json`),
    );
    assert.deepEqual(r.packages.find((p) => p.name === 'acme/http')?.dependsOn, [
      'pkg:composer/acme/psr-log@1.0.3',
    ]);
    assert.deepEqual(r.packages.find((p) => p.name === 'acme/http')?.licenses, ['MIT', 'Apache-2.0']);
  });

  it('the installed.json of that install gives the same packages and dev flags', () => {
    const lock = parseComposerLock(fixture(`${dir}/composer.lock`));
    const installed = parseInstalledJson(fixture(`${dir}/installed.json`));
    assert.deepEqual(installed.problems, []);
    assert.deepEqual(installed.packages, lock.packages);
  });
});

describe('composer.lock', () => {
  it('lists packages and packages-dev (dev), with licences and the require graph', () => {
    const r = parseComposerLock(fixture('composer.lock'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(short(r), ALL);
    const guzzle = r.packages.find((p) => p.name === 'guzzlehttp/guzzle');
    assert.equal(guzzle?.purl, 'pkg:composer/guzzlehttp/guzzle@6.5.8');
    assert.deepEqual(guzzle?.licenses, ['MIT']);
    // platform requirements (php, ext-json) are not packages; require-dev is not the runtime graph
    assert.deepEqual(guzzle?.dependsOn, [
      'pkg:composer/guzzlehttp/promises@1.5.2',
      'pkg:composer/guzzlehttp/psr7@1.9.0',
      'pkg:composer/symfony/polyfill-intl-idn@v1.27.0',
    ]);
    assert.deepEqual(r.packages.find((p) => p.name === 'symfony/polyfill-php72')?.licenses, [
      'MIT or BSD-2-Clause',
    ]);
  });

  it('lowercases names as Packagist does', () => {
    const r = parseComposerLock('{"packages":[{"name":"Monolog/Monolog","version":"2.9.1"}]}');
    assert.deepEqual(short(r), ['monolog/monolog@2.9.1']);
  });

  it('reports malformed files and entries', () => {
    assert.equal(parseComposerLock('{"packages": [').problems.length, 1);
    assert.equal(parseComposerLock('{"name": "x"}').problems.length, 1);
    const r = parseComposerLock(
      '{"packages":[{"name":"no-slash","version":"1"},{"name":"a/b"},{"name":"a/c","version":"1.0"}]}',
    );
    assert.deepEqual(short(r), ['a/c@1.0']);
    assert.equal(r.problems.length, 2);
  });
});

describe('vendor/composer/installed.json', () => {
  it('Composer 2 layout: dev-package-names marks dev packages', () => {
    const r = parseInstalledJson(fixture('installed-v2.json'));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(short(r), ALL);
  });

  it('Composer 1 layout: a bare array', () => {
    const r = parseInstalledJson(fixture('installed-v1.json'));
    assert.deepEqual(
      short(r),
      ALL.filter((x) => !x.endsWith(' dev')),
    );
  });

  it('rejects other shapes', () => {
    assert.equal(parseInstalledJson('{"x":1}').problems.length, 1);
    assert.equal(parseInstalledJson('nope').problems.length, 1);
  });
});
