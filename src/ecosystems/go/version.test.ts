import { describe } from 'node:test';
import { versionTable } from '../../../test/oracles/table.js';
import { goScheme } from './version.js';

describe('Go module versions (golang.org/x/mod/semver semantics)', () => {
  versionTable(
    goScheme,
    [
      ['v1.2.3', '=', '1.2.3'],
      ['1.2.3', '<', '1.10.0'],
      ['v1', '=', 'v1.0.0'],
      ['v1.2', '=', 'v1.2.0'],
      ['1.0.0-rc.1', '<', '1.0.0'],
      ['1.0.0-alpha', '<', '1.0.0-alpha.1'],
      ['1.0.0-alpha.1', '<', '1.0.0-alpha.beta'],
      ['1.0.0-beta.2', '<', '1.0.0-beta.11'],
      ['2.0.0+incompatible', '=', '2.0.0'],
      ['2.0.0+incompatible', '>', '1.9.9'],
      ['3.1.0+incompatible', '<', '3.2.0+incompatible'],
      // pseudo-versions order by their timestamps, and before the release they precede
      ['0.0.0-20210101000000-abcdef123456', '<', '0.0.0-20220101000000-123456abcdef'],
      ['0.0.0-20220101000000-123456abcdef', '<', '0.1.0'],
      ['1.2.4-0.20210101000000-abcdef123456', '>', '1.2.3'],
      ['1.2.4-0.20210101000000-abcdef123456', '<', '1.2.4'],
      ['1.2.3-pre.0.20210101000000-abcdef123456', '>', '1.2.3-pre'],
      ['99999999999999999999.0.0', '>', '9999999999999999999.0.0'],
    ],
    [
      '',
      'v',
      '1.2.3.4',
      '01.2.3',
      '1.02.3',
      'v1.2-pre',
      'v1-pre',
      '1.2.3-01',
      '1.2.3-',
      '1.2.3+',
      '1.2.3-a..b',
      'vv1.2.3',
      'x1.2.3',
      '1.2.3+in compatible',
    ],
  );
});
