import { describe } from 'node:test';
import { versionTable, type Row } from '../../../test/oracles/table.js';
import { npmScheme } from './version.js';

// node-semver's test fixtures: comparisons.js (first > second) and equality.js.
const GREATER: Array<[string, string]> = [
  ['0.0.0', '0.0.0-foo'],
  ['0.0.1', '0.0.0'],
  ['1.0.0', '0.9.9'],
  ['0.10.0', '0.9.0'],
  ['0.99.0', '0.10.0'],
  ['2.0.0', '1.2.3'],
  ['v0.0.0', '0.0.0-foo'],
  ['v0.0.1', '0.0.0'],
  ['v1.0.0', '0.9.9'],
  ['0.0.0', 'v0.0.0-foo'],
  ['2.0.0', 'v1.2.3'],
  ['1.2.3', '1.2.3-asdf'],
  ['1.2.3', '1.2.3-4'],
  ['1.2.3', '1.2.3-4-foo'],
  ['1.2.3-5-foo', '1.2.3-5'],
  ['1.2.3-5', '1.2.3-4'],
  ['1.2.3-5-foo', '1.2.3-5-Foo'],
  ['3.0.0', '2.7.2+asdf'],
  ['1.2.3-a.10', '1.2.3-a.5'],
  ['1.2.3-a.b', '1.2.3-a.5'],
  ['1.2.3-a.b', '1.2.3-a'],
  ['1.2.3-a.b.c.10.d.5', '1.2.3-a.b.c.5.d.100'],
  ['1.2.3-r2', '1.2.3-r100'],
  ['1.2.3-r100', '1.2.3-R2'],
];
const EQUAL: Array<[string, string]> = [
  ['1.2.3', 'v1.2.3'],
  ['1.2.3', ' v1.2.3'],
  ['1.2.3-0', 'v1.2.3-0'],
  ['1.2.3-beta+build', '1.2.3-beta+otherbuild'],
  ['1.2.3+build', '1.2.3+otherbuild'],
  ['  v1.2.3+build', '1.2.3+otherbuild'],
];

const rows: Row[] = [
  ...GREATER.map(([a, b]): Row => [a, '>', b]),
  ...EQUAL.map(([a, b]): Row => [a, '=', b]),
  ['1.0.0-alpha', '<', '1.0.0-alpha.1'],
  ['1.0.0-alpha.1', '<', '1.0.0-alpha.beta'],
  ['1.0.0-beta.2', '<', '1.0.0-beta.11'],
  ['1.0.0-rc.1', '<', '1.0.0'],
];

describe('npm (SemVer 2.0, node-semver fixtures)', () => {
  // node-semver's invalid-versions fixture plus strict-mode rejections.
  versionTable(npmScheme, rows, [
    '',
    '1.2',
    '1.2.3.4',
    '01.2.3',
    '1.2.3-01',
    'not a version',
    '1.2.3-',
    '1.2.3+',
    'x.y.z',
    '1.2.3 4',
    // loose-mode forms that node-semver's default (strict) parser rejects
    '=1.2.3',
    '=1.2.3-beta',
    'v 1.2.3',
    'vv1.2.3',
    '1.2.3beta',
  ]);
});
