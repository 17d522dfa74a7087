import { describe } from 'node:test';
import { versionTable } from '../../../test/oracles/table.js';
import { nugetScheme } from './version.js';

describe('NuGet versions (NuGet.Versioning VersionComparer/VersionParsing tests)', () => {
  versionTable(
    nugetScheme,
    [
      ['1.0.0', '=', '1.0.0'],
      ['1.0.0-BETA', '=', '1.0.0-beta'],
      ['1.0.0-BETA+AA', '=', '1.0.0-beta+aa'],
      ['1.0.0-BETA.X.y.5.77.0+AA', '=', '1.0.0-beta.x.y.5.77.0+aa'],
      ['0.0.0', '<', '1.0.0'],
      ['1.0.0', '<', '1.1.0'],
      ['1.0.0', '<', '1.0.1'],
      ['1.999.9999', '<', '2.1.1'],
      ['1.0.0-BETA', '<', '1.0.0-beta2'],
      ['1.0.0-beta+AA', '<', '1.0.0+aa'],
      ['1.0.0-BETA', '<', '1.0.0-beta.1+AA'],
      ['1.0.0-BETA.X.y.5.77.0+AA', '<', '1.0.0-beta.x.y.5.79.0+aa'],
      ['1.0.0-BETA.X.y.5.79.0+AA', '<', '1.0.0-beta.x.y.5.790.0+abc'],
      ['2', '=', '2.0.0'],
      ['2.0', '=', '2.0.0.0'],
      ['1.0.0.1', '>', '1.0.0'],
      ['01.0.0', '=', '1.0.0'],
      ['1.0.0-alpha.2', '<', '1.0.0-alpha.10'],
      ['1.0.0-2', '<', '1.0.0-a'],
      [' 1.0.0 ', '=', '1.0.0'],
      // From NuGetVersionFactory.TryParse and VersionComparer: whitespace around each number
      // (the .NET set), Int32 numbers with any leading zeros, int.TryParse on labels (`-1` is a
      // negative number, sorting below 0), OrdinalIgnoreCase text.
      ['1 . 2', '=', '1.2.0.0'],
      ['\u30001.0\u2003', '=', '1.0'],
      ['000000000001.0', '=', '1.0'],
      ['1.0.0-a.-1', '<', '1.0.0-a.0'],
      ['1.0.0--2', '<', '1.0.0--1'],
      ['1.0.0-2147483648', '>', '1.0.0-2147483647'],
      ['1.0.0-a.2147483648', '>', '1.0.0-a.3'],
      ['1.0.0-a+b-c', '=', '1.0.0-A'],
    ],
    [
      '',
      '1.0.0-',
      '1.0.0+',
      '1.0.0-beta..1',
      'a.b.c',
      '1.0.0.0.0',
      '1.0.0-beta_1',
      '-1.0.0',
      '1.2147483648.0',
      '1.0.0-01',
      '1..0',
      '\ufeff1.0',
      '1.0.0-a+',
      '1.0.0-a+b+c',
      '1.2147483648',
      '1.0 0',
    ],
  );
});
