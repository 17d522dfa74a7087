import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as pep440 from '@renovatebot/pep440';
import { versionTable } from '../../../test/oracles/table.js';
import { normalizePypiName, pypiScheme } from './version.js';

// PEP 440's own ordering example (summary of permitted suffixes and relative ordering).
const PEP_ORDER = [
  '1.dev0',
  '1.0.dev456',
  '1.0a1',
  '1.0a2.dev456',
  '1.0a12.dev456',
  '1.0a12',
  '1.0b1.dev456',
  '1.0b2',
  '1.0b2.post345.dev456',
  '1.0b2.post345',
  '1.0rc1.dev456',
  '1.0rc1',
  '1.0',
  '1.0+abc.5',
  '1.0+abc.7',
  '1.0+5',
  '1.0.post456.dev34',
  '1.0.post456',
  '1.0.15',
  '1.1.dev1',
];

describe('PEP 440 versions', () => {
  versionTable(
    pypiScheme,
    [
      ...PEP_ORDER.slice(1).map((v, i): [string, '<', string] => [PEP_ORDER[i]!, '<', v]),
      ['1.0', '=', '1.0.0'],
      ['1.0', '=', 'v1.0'],
      ['1.0a1', '=', '1.0-alpha.1'],
      ['1.0.post1', '=', '1.0-1'],
      ['1!0.1', '>', '9.9'],
      ['1.100000000000000000001', '>', '1.100000000000000000000'],
    ],
    ['', 'a', '1.0-', '1.0+', '1.0.x', '1..0', 'v', '1.0+local version', '1.0_+local', '1.0rc1rc2'],
  );

  it('agrees with @renovatebot/pep440 where both use small numbers', () => {
    for (let i = 1; i < PEP_ORDER.length; i++) {
      assert.equal(pep440.compare(PEP_ORDER[i - 1]!, PEP_ORDER[i]!) < 0, true);
      assert.equal(pypiScheme.compare(PEP_ORDER[i - 1]!, PEP_ORDER[i]!), -1);
    }
  });

  it('normalises project names as PEP 503 does', () => {
    assert.equal(normalizePypiName('Friendly-Bard'), 'friendly-bard');
    assert.equal(normalizePypiName('FRIENDLY-BARD'), 'friendly-bard');
    assert.equal(normalizePypiName('friendly.bard'), 'friendly-bard');
    assert.equal(normalizePypiName('friendly_bard'), 'friendly-bard');
    assert.equal(normalizePypiName('friendly--bard'), 'friendly-bard');
    assert.equal(normalizePypiName('FrIeNdLy-._.-bArD'), 'friendly-bard');
  });
});
