import { describe } from 'node:test';
import { versionTable } from '../../../test/oracles/table.js';
import { mavenScheme } from './version.js';

// From the ordering documented for ComparableVersion (maven-artifact's ComparableVersionTest);
// test/oracles/maven.test.ts checks 10,000 more against Maven's own class.
const ORDERED = [
  '1-alpha2snapshot',
  '1-alpha2',
  '1-alpha-123',
  '1-beta-2',
  '1-beta123',
  '1-m2',
  '1-m11',
  '1-rc',
  '1-cr2',
  '1-rc123',
  '1-SNAPSHOT',
  '1',
  '1-sp',
  '1-sp2',
  '1-sp123',
  '1-abc',
  '1-def',
  '1-pom-1',
  '1-1-snapshot',
  '1-1',
  '1-2',
  '1-123',
];

describe('Maven versions', () => {
  versionTable(
    mavenScheme,
    [
      ...ORDERED.slice(1).map((v, i): [string, '<', string] => [ORDERED[i]!, '<', v]),
      ['1', '=', '1.0.0'],
      ['1', '=', '1-ga'],
      ['1', '=', '1.final'],
      ['1.0-release', '=', '1'],
      ['1-cr1', '=', '1-rc1'],
      ['1a1', '=', '1-alpha-1'],
      ['1.0.0.X1', '<', '1.0.0-X2'],
      ['2.0.0.RELEASE', '=', '2.0.0'],
      ['1.99999999999999999999', '<', '1.100000000000000000000'],
      // Maven takes any string: the empty one is 0, spaces and non-ASCII letters are qualifier text.
      ['', '=', '0'],
      ['1.0 beta', '>', '1.0'],
      ['1.0é', '>', '1.0'],
      // Java's Character.isDigit takes any Unicode decimal digit, and strips only ASCII zeros before
      // choosing IntItem or LongItem: ten Arabic-Indic zeros and a 1 make a LongItem, above 2.
      ['\u0661', '=', '1'],
      ['1.\u0663', '=', '1.3'],
      ['\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u06601', '>', '2'],
    ],
    [],
  );
});
