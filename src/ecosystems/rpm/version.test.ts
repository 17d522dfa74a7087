import { describe } from 'node:test';
import { versionTable } from '../../../test/oracles/table.js';
import { rpmScheme } from './version.js';

// Cases from rpm's rpmvercmp test table; test/oracles/rpm.test.ts checks 10,000 more against
// python3-rpm.
describe('rpm versions', () => {
  versionTable(
    rpmScheme,
    [
      ['1.0', '=', '1.0'],
      ['1.0', '<', '2.0'],
      ['2.0.1', '>', '2.0'],
      ['2.0.1a', '>', '2.0.1'],
      ['5.5p1', '<', '5.5p2'],
      ['5.5p10', '>', '5.5p1'],
      ['10xyz', '<', '10.1xyz'],
      ['xyz10', '<', 'xyz10.1'],
      ['xyz.4', '<', '8'],
      ['1.0aa', '>', '1.0a1'],
      ['2a', '<', '2.0'],
      ['1.0~rc1', '<', '1.0'],
      ['1.0~rc1', '<', '1.0~rc2'],
      ['1.0^', '>', '1.0'],
      ['1.0^git1', '<', '1.01'],
      ['1.0^git1', '>', '1.0~rc1'],
      ['1.0^git1~pre', '<', '1.0^git1'],
      ['1:1.0-1', '>', '2.0-1'],
      ['1.0', '<', '1.0-1'],
      ['1.0-1.el9_2', '>', '1.0-1.el9'],
      // rpm orders these too: any other character is a separator, the last `-` starts the release.
      ['1.0-', '>', '1.0'],
      ['x:1.0', '<', '1.0'],
      ['1.0 1', '=', '1.0.1'],
      ['1.0-1-', '>', '1.0-1'],
      ['ä1.0', '=', '1.0'],
    ],
    // labelCompare raises on an empty version part.
    ['', '-1', '1:', '1:-1', ':-1', '0:'],
  );
});
