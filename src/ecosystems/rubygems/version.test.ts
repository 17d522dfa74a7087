import { describe } from 'node:test';
import { versionTable } from '../../../test/oracles/table.js';
import { rubygemsScheme } from './version.js';

// Cases from RubyGems' test_gem_version.rb; test/oracles/rubygems.test.ts checks 10,000 more
// against ruby's Gem::Version.
describe('RubyGems versions', () => {
  versionTable(
    rubygemsScheme,
    [
      ['1.0', '=', '1.0.0'],
      ['1.0', '=', '1'],
      ['1.8.2', '>', '0.0.0'],
      ['1.8.2', '>', '1.8.2.a'],
      ['1.8.2.b', '>', '1.8.2.a'],
      ['1.8.2.a10', '>', '1.8.2.a9'],
      ['0.beta.1', '=', '0.0.beta.1'],
      ['0.0.beta', '<', '0.0.beta.1'],
      ['0.0.beta', '<', '0.beta.1'],
      ['5.a', '<', '5.0.0.rc2'],
      ['5.x', '>', '5.0.0.rc2'],
      ['1.9.3', '=', '1.9.3.0'],
      ['1.0.0-rc1', '=', '1.0.0.pre.rc1'],
      ['1.0.0.a', '<', '1.0.0.b'],
      ['', '=', '0'],
    ],
    [
      'junk',
      '1.0\n2.0',
      '1..2',
      '1.2\\ 3.4',
      '2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.',
      '-1',
      '1.0.',
      '1.0_1',
    ],
  );
});
