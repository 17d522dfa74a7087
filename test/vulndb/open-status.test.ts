/** Opening, status and lookups: bad files are DATABASE errors naming the path; lookups normalise names. */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { BulwarkError } from '../../src/core/errors.js';
import { dbStatus, openVulnDb, updateDb } from '../../src/vulndb/index.js';
import { osvRecord, removeDir, tempDir, writeZipMirror, zipEntries } from './helpers/fixtures.js';

function databaseError(file: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof BulwarkError, String(e));
    assert.equal(e.code, 'DATABASE', e.message);
    assert.equal(e.input, file);
    return true;
  };
}

describe('openVulnDb and dbStatus', () => {
  let dir: string;
  let dbPath: string;
  before(async () => {
    dir = tempDir('open');
    const zip = await zipEntries([
      [
        'PYSEC-1.json',
        osvRecord('PYSEC-1', 'PyPI', 'Django_Rest.Framework', { aliases: ['CVE-2020-1', 'GHSA-x'] }),
      ],
      ['GHSA-x.json', osvRecord('GHSA-x', 'PyPI', 'djangorestframework', { aliases: ['CVE-2020-1'] })],
      ['DEB-1.json', osvRecord('DEB-1', 'Debian:12', 'openssl')],
      ['DEB-2.json', osvRecord('DEB-2', 'Debian:11', 'openssl')],
    ]);
    const mirror = writeZipMirror(path.join(dir, 'm'), zip, { kev: false });
    dbPath = path.join(dir, 'db', 'bulwark.db');
    await updateDb({ dbPath, mirror, kev: false, epss: false, now: () => new Date('2026-11-01T00:00:00Z') });
  });
  after(() => removeDir(dir));

  it('lookups go by exact ecosystem and normalised name', () => {
    const db = openVulnDb(dbPath);
    try {
      assert.deepEqual(
        db.lookup('PyPI', 'django-rest-framework').map((r) => r.id),
        ['PYSEC-1'],
      );
      assert.deepEqual(
        db.lookup('PyPI', 'Django_Rest_Framework').map((r) => r.id),
        ['PYSEC-1'],
      );
      assert.deepEqual(
        db.lookup('Debian:12', 'openssl').map((r) => r.id),
        ['DEB-1'],
      );
      assert.deepEqual(db.lookup('Debian', 'openssl'), []);
      assert.deepEqual(db.ecosystems(), ['Debian:11', 'Debian:12', 'PyPI']);
      // The matcher's candidates: the package's entries alone, parsed once per handle.
      const [cand] = db.candidates('Debian:12', 'openssl');
      assert.ok(cand);
      assert.equal(cand.id, 'DEB-1');
      assert.deepEqual(cand.entries, db.lookup('Debian:12', 'openssl')[0]?.affected);
      assert.equal(db.candidates('Debian:12', 'openssl')[0], cand);
      assert.deepEqual(db.candidates('Debian:12', 'no-such'), []);
      assert.equal(cand.record()?.id, 'DEB-1');
      assert.equal(cand.record(), cand.record());
      assert.deepEqual(db.aliasesOf('CVE-2020-1').sort(), ['GHSA-x', 'PYSEC-1']);
      let hits = 0;
      for (let i = 0; i < 10_000; i++)
        hits += db.lookup(i % 2 ? 'Debian:11' : 'PyPI', i % 2 ? 'openssl' : `pkg-${i}`).length;
      assert.equal(hits, 5000);
    } finally {
      db.close();
    }
  });

  it('uses a caller-supplied normaliser the same way at build and lookup time', async () => {
    const zip = await zipEntries([['N-1.json', osvRecord('N-1', 'npm', 'LeftPad')]]);
    const mirror = writeZipMirror(path.join(dir, 'norm'), zip, { kev: false });
    const p = path.join(dir, 'norm', 'db.sqlite');
    const normalizeName = (_e: string, n: string): string => n.toLowerCase();
    await updateDb({ dbPath: p, mirror, kev: false, epss: false, normalizeName, normalizerId: 'lower' });
    const db = openVulnDb(p, { normalizeName });
    try {
      assert.deepEqual(
        db.lookup('npm', 'LEFTPAD').map((r) => r.id),
        ['N-1'],
      );
    } finally {
      db.close();
    }
  });

  it('status reports age and staleness against the threshold', () => {
    const fresh = dbStatus(dbPath, { now: new Date('2026-11-03T00:00:00Z') });
    assert.equal(fresh.builtAt, '2026-11-01T00:00:00.000Z');
    assert.equal(fresh.ageDays, 2);
    assert.equal(fresh.stale, false);
    assert.equal(dbStatus(dbPath, { now: new Date('2026-11-09T00:00:00Z') }).stale, true);
    assert.equal(dbStatus(dbPath, { now: new Date('2026-11-09T00:00:00Z'), maxAgeDays: 30 }).stale, false);
    assert.deepEqual(fresh.ecosystems, [
      { ecosystem: 'Debian:11', records: 1 },
      { ecosystem: 'Debian:12', records: 1 },
      { ecosystem: 'PyPI', records: 2 },
    ]);
    assert.equal(fresh.sources[0]?.name, 'osv:Test');
  });

  it('a missing, non-SQLite, foreign or newer-schema file is a DATABASE error naming it', () => {
    const missing = path.join(dir, 'nope.db');
    assert.throws(() => openVulnDb(missing), databaseError(missing));
    assert.throws(() => dbStatus(missing), databaseError(missing));

    const junk = path.join(dir, 'junk.db');
    writeFileSync(
      junk,
      'this is not sqlite, just text that is long enough to look like a header'.repeat(100),
    );
    assert.throws(() => openVulnDb(junk), databaseError(junk));

    const foreign = path.join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE t (x)');
    f.close();
    assert.throws(() => openVulnDb(foreign), databaseError(foreign));

    const newer = path.join(dir, 'newer.db');
    copyFileSync(dbPath, newer);
    const n = new Database(newer);
    n.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
    n.close();
    assert.throws(() => openVulnDb(newer), databaseError(newer));
  });
});
