import { describe } from 'node:test';
import { versionTable } from '../../../test/oracles/table.js';
import { debianScheme } from './version.js';

// Examples from Debian Policy 5.6.12 and dpkg's own test suite; test/oracles/dpkg.test.ts checks
// 10,000 more against python3-apt.
describe('dpkg versions', () => {
  versionTable(
    debianScheme,
    [
      ['1.0~rc1', '<', '1.0'],
      ['1.0~~', '<', '1.0~~a'],
      ['1.0~~a', '<', '1.0~'],
      ['1.0~', '<', '1.0'],
      ['1.0', '<', '1.0a'],
      ['1.0a', '<', '1.0+'],
      ['\t1.0 \t', '=', '1.0'],
      [' 1.0', '=', '1.0'],
      ['1.0', '=', '1.0-0'],
      ['1.0', '=', '0:1.0'],
      ['1:0.1', '>', '9.9'],
      ['2.36.1-8+deb11u1', '>', '2.36.1-8'],
      ['1.2.3-1~bpo11+1', '<', '1.2.3-1'],
      ['007', '=', '7'],
      ['1:2.3:4-1', '>', '1:2.3:3-1'],
      ['1.0-1-2', '>', '1.0-1-1'],
    ],
    [
      '',
      'a1.0',
      ':1.0',
      '1:',
      '1.0-',
      'x:1.0',
      '1.0:1',
      '1.0 1',
      '1.0-1_2',
      '1.0_1',
      '2147483648:1.0',
      '1.0-1:2',
      '-1',
      // dpkg strips only spaces and tabs around a version
      '1.0\f',
      '1.0\n',
      '1.0\u00a0',
    ],
  );
});
