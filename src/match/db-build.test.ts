import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { OsvAffected, OsvRecord } from '../vulndb/types.js';
import { keepListedVersions } from './db-build.js';

const fixture = (eco: string, id: string): OsvRecord =>
  JSON.parse(
    readFileSync(
      path.join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'osv', eco, `${id}.json`),
      'utf8',
    ),
  ) as OsvRecord;

describe('keepListedVersions', () => {
  it('drops the listed versions a real PyPI record already covers with its ranges', () => {
    const entry = fixture('PyPI', 'PYSEC-2021-871').affected![0]!;
    assert.equal(entry.versions?.length, 157);
    assert.deepEqual(keepListedVersions(entry), []);
  });

  it('keeps listed versions outside the ranges, invalid ones, and all of them without ECOSYSTEM ranges', () => {
    const entry: OsvAffected = {
      package: { ecosystem: 'PyPI', name: 'x' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.2' }] }],
      versions: ['1.0', '1.1.post1', '1.2', '0.9', 'not a version', '1.0.0'],
    };
    assert.deepEqual(keepListedVersions(entry), ['1.2', '0.9', 'not a version']);
    const semverOnly: OsvAffected = { ...entry, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] };
    assert.deepEqual(keepListedVersions(semverOnly), entry.versions);
    const gitOnly: OsvAffected = {
      ...entry,
      ranges: [{ type: 'GIT', repo: 'r', events: [{ introduced: 'abc' }] }],
    };
    assert.deepEqual(keepListedVersions(gitOnly), entry.versions);
    const unknownEcosystem: OsvAffected = { ...entry, package: { ecosystem: 'NoSuch', name: 'x' } };
    assert.deepEqual(keepListedVersions(unknownEcosystem), entry.versions);
  });

  it('keeps every listed version when a range holds an event the scheme rejects (the matcher skips it)', () => {
    const entry: OsvAffected = {
      package: { ecosystem: 'PyPI', name: 'x' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 'bogus version!' }] }],
      versions: ['1.0', '2.0'],
    };
    assert.deepEqual(keepListedVersions(entry), ['1.0', '2.0']);
  });
});
