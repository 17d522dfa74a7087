/** The EPSS reader on real published data: an excerpt of FIRST's file (test/fixtures/epss). */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { dbStatus, openVulnDb, updateDb } from '../../src/vulndb/index.js';
import { makeMirror, removeDir, tempDir } from './helpers/fixtures.js';

const EXCERPT = path.resolve(import.meta.dirname, '../fixtures/epss/epss_scores-excerpt.csv');
const dir = tempDir('epss-real');
after(() => removeDir(dir));

it('reads a real FIRST EPSS file: model comment, header, every row, scores as published', async () => {
  const mirror = makeMirror(path.join(dir, 'mirror'), ['Maven']);
  mkdirSync(path.join(mirror, 'epss'));
  const csv = readFileSync(EXCERPT);
  writeFileSync(path.join(mirror, 'epss', 'epss_scores-current.csv.gz'), gzipSync(csv));
  const rows = csv
    .toString('utf8')
    .split('\n')
    .filter((l) => l.startsWith('CVE-'));
  const dbPath = path.join(dir, 'db', 'bulwark.db');
  const res = await updateDb({ dbPath, mirror, now: () => new Date('2026-09-30T00:00:00Z') });
  assert.equal(res.sources.find((s) => s.name === 'epss')?.status, 'downloaded');
  assert.equal(dbStatus(dbPath).counts.epss, rows.length);
  const db = openVulnDb(dbPath);
  try {
    assert.deepEqual(db.epss(['CVE-1999-0016']), {
      cve: 'CVE-1999-0016',
      epss: 0.95739,
      percentile: 0.99871,
    });
    // the highest score among a group's CVEs wins
    assert.equal(db.epss(['CVE-1999-0001', 'CVE-1999-0046'])?.cve, 'CVE-1999-0046');
    // CVE-1999-0020 has no row in the published file
    assert.equal(db.epss(['CVE-1999-0020']), undefined);
    db.prefetchIds({ epss: ['CVE-1999-0011', 'CVE-1999-0020'] });
    assert.deepEqual(db.epss(['CVE-1999-0011']), { cve: 'CVE-1999-0011', epss: 0.05469, percentile: 0.9248 });
  } finally {
    db.close();
  }
});
