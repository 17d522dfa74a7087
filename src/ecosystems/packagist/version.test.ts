import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionTable } from '../../../test/oracles/table.js';
import { phpVersionCompare } from './php-version-compare.js';
import { normalizeComposerVersion, packagistScheme } from './version.js';

// composer/semver tests/VersionParserTest.php (successfulNormalizedVersions).
const NORMALIZED: Array<[string, string]> = [
  ['1.0.0', '1.0.0.0'],
  ['1.2.3.4', '1.2.3.4'],
  ['1.0.0RC1dev', '1.0.0.0-RC1-dev'],
  ['1.0.0-rC15-dev', '1.0.0.0-RC15-dev'],
  ['1.0.0.RC.15-dev', '1.0.0.0-RC15-dev'],
  ['1.0.0-rc1', '1.0.0.0-RC1'],
  ['1.0.0.pl3-dev', '1.0.0.0-patch3-dev'],
  ['1.0-dev', '1.0.0.0-dev'],
  ['0', '0.0.0.0'],
  ['10.4.13-beta', '10.4.13.0-beta'],
  ['10.4.13beta2', '10.4.13.0-beta2'],
  ['10.4.13beta.2', '10.4.13.0-beta2'],
  ['10.4.13-b', '10.4.13.0-beta'],
  ['10.4.13-b5', '10.4.13.0-beta5'],
  ['v1.0.0', '1.0.0.0'],
  ['2010.01', '2010.01.0.0'],
  ['2010.01.02', '2010.01.02.0'],
  ['2010.1.555', '2010.1.555.0'],
  ['v20100102', '20100102'],
  ['2010-01-02', '2010.01.02'],
  ['2010-01-02.5', '2010.01.02.5'],
  ['20100102-203040', '20100102.203040'],
  ['20100102203040-10', '20100102203040.10'],
  ['20100102-203040-p1', '20100102.203040-patch1'],
  ['1.x-dev', '1.9999999.9999999.9999999-dev'],
  ['dev-feature-foo', 'dev-feature-foo'],
  ['DEV-FOOBAR', 'dev-FOOBAR'],
  ['dev-feature/foo', 'dev-feature/foo'],
  ['1.0.0-beta.5+foo', '1.0.0.0-beta5'],
  ['1.0.0+foo', '1.0.0.0'],
  ['1.0.0-alpha.3.1+foo', '1.0.0.0-alpha3.1'],
  ['1.0.0-alpha2.1+foo', '1.0.0.0-alpha2.1'],
  ['1.0.0-alpha-2.1-3+foo', '1.0.0.0-alpha2.1-3'],
  ['1.0.0+foo as 2.0', '1.0.0.0'],
];

describe('Composer version normalisation (VersionParserTest)', () => {
  for (const [input, expected] of NORMALIZED) {
    it(`${input} -> ${expected}`, () => assert.equal(normalizeComposerVersion(input), expected));
  }
});

describe("PHP's version_compare", () => {
  const cases: Array<[string, string, number]> = [
    ['1.0.0', '1.0.0', 0],
    ['1.0', '1.0.0', -1],
    ['1.0rc1', '1.0', -1],
    ['1.0-dev', '1.0-alpha', -1],
    ['1.0a', '1.0b', -1],
    ['1.0pl1', '1.0', 1],
    ['1.0-foo', '1.0-dev', -1],
    ['1.0.0.0-patch1', '1.0.0.0', 1],
    ['1.99999999999999999999', '1.9223372036854775807', 0],
  ];
  for (const [a, b, r] of cases) it(`${a} vs ${b}`, () => assert.equal(phpVersionCompare(a, b), r));
});

// composer/semver tests/ComparatorTest.php, plus ordering of normalised forms.
describe('Packagist ordering', () => {
  versionTable(
    packagistScheme,
    [
      ['1.25.0', '>', '1.24.0'],
      ['1.25.0', '=', '1.25.0'],
      ['1.25.0', '<', '1.26.0'],
      ['1.26.0', '>', 'dev-foo'],
      ['1.0.0', '<', '1.2-dev'],
      ['1.25.0-beta2.1', '<', '1.25.0-b.3'],
      ['1.25.0-b2.1', '<', '1.25.0beta.3'],
      ['1.25.0-b-2.1', '<', '1.25.0-rc'],
      ['1.25.0-beta2.1', '=', '1.25.0-b.2.1'],
      ['1.25.0beta2.1', '=', '1.25.0-b2.1'],
      ['v1.2.3', '=', '1.2.3.0'],
      ['1.0.0-dev', '<', '1.0.0-alpha1'],
      ['1.0.0-alpha1', '<', '1.0.0-beta1'],
      ['1.0.0-beta1', '<', '1.0.0-RC1'],
      ['1.0.0-RC1', '<', '1.0.0'],
      ['1.0.0', '<', '1.0.0-patch1'],
      ['1.0.0-p1', '=', '1.0.0-pl1'],
      ['1.0.0+build5', '=', '1.0.0'],
      ['dev-foo', '<', 'dev-master'],
      ['dev-foo', '=', 'dev-foo'],
      // PHP's trim(): tab, newline, carriage return, NUL and vertical tab, but not a form feed
      ['1.0\n', '=', '1.0'],
      ['\t1.0\x0b\0', '=', '1.0'],
      ['dev-a\x01', '<', '1.0'],
    ],
    ['', 'a', '1.0.0-meh', '1.0.0.0.0', 'feature-foo', '1.0.0+foo bar', '1.0\f', '1.0\u00a0', '1.0 as\t2.0'],
  );
});
