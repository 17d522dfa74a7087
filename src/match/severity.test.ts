import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OsvRecord } from '../vulndb/types.js';
import { decideSeverity, scoreVector, severityFromScore } from './severity.js';

const V4 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N';
const V30 = 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H';
const V2 = 'AV:N/AC:L/Au:N/C:P/I:P/A:P';

describe('scoreVector', () => {
  it('scores every CVSS version with ae-cvss-calculator', () => {
    assert.deepEqual(scoreVector('CVSS_V4', V4), { version: '4.0', vector: V4, score: 9.3 });
    assert.deepEqual(scoreVector('CVSS_V3', V31), { version: '3.1', vector: V31, score: 5.3 });
    assert.deepEqual(scoreVector('CVSS_V3', V30), { version: '3.0', vector: V30, score: 7.5 });
    assert.deepEqual(scoreVector('CVSS_V2', V2), { version: '2.0', vector: V2, score: 7.5 });
  });

  it('rejects broken or mislabelled vectors', () => {
    // NSWG-ECO-504's vector from the npm feed: I:U is not a CVSS value
    assert.equal(scoreVector('CVSS_V3', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U'), undefined);
    assert.equal(scoreVector('CVSS_V3', 'CVSS:3.1/AV:N'), undefined);
    assert.equal(scoreVector('CVSS_V4', V31), undefined);
    assert.equal(scoreVector('CVSS_V3', 'garbage'), undefined);
  });

  it('maps scores onto NVD bands (v2 has no critical)', () => {
    const s = (version: '2.0' | '3.1', score: number) => severityFromScore({ version, score, vector: '' });
    assert.equal(s('3.1', 9.0), 'CRITICAL');
    assert.equal(s('3.1', 8.9), 'HIGH');
    assert.equal(s('3.1', 4.0), 'MEDIUM');
    assert.equal(s('3.1', 3.9), 'LOW');
    assert.equal(s('3.1', 0), 'LOW');
    assert.equal(s('2.0', 10), 'HIGH');
  });
});

describe('decideSeverity', () => {
  const rec = (id: string, extra: Partial<OsvRecord>): OsvRecord => ({ id, ...extra });

  it('prefers v4 over v3 over v2 across the merged records, and names the source', () => {
    const v = decideSeverity([
      rec('GHSA-b', { severity: [{ type: 'CVSS_V3', score: V31 }] }),
      rec('CVE-a', { severity: [{ type: 'CVSS_V2', score: V2 }] }),
      rec('GHSA-c', { affected: [{ severity: [{ type: 'CVSS_V4', score: V4 }] }] }),
    ]);
    assert.equal(v.severity, 'CRITICAL');
    assert.deepEqual(v.source, { record: 'GHSA-c', type: 'CVSS_V4' });
    const noV4 = decideSeverity([
      rec('GHSA-b', { severity: [{ type: 'CVSS_V3', score: V31 }] }),
      rec('CVE-a', { severity: [{ type: 'CVSS_V2', score: V2 }] }),
    ]);
    // 3.1 wins over the higher-scoring v2
    assert.equal(noV4.severity, 'MEDIUM');
    assert.deepEqual(noV4.source, { record: 'GHSA-b', type: 'CVSS_V3.1' });
  });

  it('falls back to the feed label, then UNKNOWN', () => {
    const label = decideSeverity([rec('GHSA-x', { database_specific: { severity: 'MODERATE' } })]);
    assert.equal(label.severity, 'MEDIUM');
    assert.deepEqual(label.source, { record: 'GHSA-x', type: 'database_specific' });
    const ubuntu = decideSeverity([rec('UBUNTU-CVE-1', { severity: [{ type: 'Ubuntu', score: 'high' }] })]);
    assert.equal(ubuntu.severity, 'HIGH');
    assert.equal(ubuntu.source?.type, 'Ubuntu');
    const broken = decideSeverity([rec('X', { severity: [{ type: 'CVSS_V3', score: 'nonsense' }] })]);
    assert.equal(broken.severity, 'UNKNOWN');
    assert.equal(broken.source, undefined);
  });
});
