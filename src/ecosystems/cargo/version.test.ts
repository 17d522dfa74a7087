import { describe } from 'node:test';
import { versionTable } from '../../../test/oracles/table.js';
import { cargoScheme } from './version.js';

describe('crates.io (SemVer 2.0 precedence)', () => {
  // Precedence examples from the SemVer 2.0 specification, section 11.
  versionTable(
    cargoScheme,
    [
      ['1.0.0', '<', '2.0.0'],
      ['2.0.0', '<', '2.1.0'],
      ['2.1.0', '<', '2.1.1'],
      ['1.0.0-alpha', '<', '1.0.0'],
      ['1.0.0-alpha', '<', '1.0.0-alpha.1'],
      ['1.0.0-alpha.1', '<', '1.0.0-alpha.beta'],
      ['1.0.0-alpha.beta', '<', '1.0.0-beta'],
      ['1.0.0-beta', '<', '1.0.0-beta.2'],
      ['1.0.0-beta.2', '<', '1.0.0-beta.11'],
      ['1.0.0-beta.11', '<', '1.0.0-rc.1'],
      ['1.0.0-rc.1', '<', '1.0.0'],
      ['1.0.0+build.1', '=', '1.0.0+build.2'],
      ['0.9.10', '>', '0.9.9'],
    ],
    ['v1.0.0', '=1.0.0', ' 1.0.0', '1.0', '1', '01.0.0', '1.0.0-01', '1.0.0-', '1.0.0+', '1.0.0.0'],
  );
});
