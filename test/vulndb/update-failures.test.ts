/**
 * Updates that must fail cleanly (the previous database keeps working, no temp file is left) and
 * optional feeds that must only warn.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { collectingProgress } from '../../src/core/progress.js';
import { dbStatus, openVulnDb, updateDb } from '../../src/vulndb/index.js';
import {
  makeMirror,
  osvRecord,
  removeDir,
  tempDir,
  writeEpss,
  writeZipMirror,
  zipEntries,
} from './helpers/fixtures.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';

const fast = { retries: 1, retryBaseMs: 1, timeoutMs: 5000 };

function rejectsWith(code: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof BulwarkError, String(e));
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    return true;
  };
}

function dbDirFiles(dbPath: string): string[] {
  return readdirSync(path.dirname(dbPath)).sort();
}

describe('db update over HTTP: failures keep the old database', () => {
  let server: MirrorServer;
  let dir: string;
  let dbPath: string;
  const baseline = { records: 0, kev: 0 };

  before(async () => {
    dir = tempDir('fail');
    const mirror = makeMirror(path.join(dir, 'mirror'), ['Maven', 'npm']);
    server = await startMirrorServer(mirror);
    dbPath = path.join(dir, 'db', 'bulwark.db');
    await updateDb({ dbPath, mirror: server.url, fetch: fast });
    const st = dbStatus(dbPath);
    baseline.records = st.counts.records;
    baseline.kev = st.counts.kev;
    assert.equal(baseline.records, 471);
  });
  after(async () => {
    await server.close();
    removeDir(dir);
  });

  const assertIntact = (): void => {
    const st = dbStatus(dbPath);
    assert.equal(st.counts.records, baseline.records);
    assert.equal(st.counts.kev, baseline.kev);
    const db = openVulnDb(dbPath);
    try {
      assert.ok(db.lookup('npm', 'lodash').length > 0);
    } finally {
      db.close();
    }
    assert.deepEqual(dbDirFiles(dbPath), ['bulwark.db']);
  };

  it('a 500 on an OSV zip fails with FEED after retrying, and the old database stays', async () => {
    server.override('/npm/all.zip', (_req, res) => res.writeHead(500).end('boom'));
    try {
      await assert.rejects(updateDb({ dbPath, mirror: server.url, fetch: fast }), (e: unknown) => {
        rejectsWith('FEED')(e);
        assert.match((e as BulwarkError).input ?? '', /npm\/all\.zip$/);
        return true;
      });
      assert.equal(server.count('/npm/all.zip', 500), 2, 'first attempt + one retry');
    } finally {
      server.override('/npm/all.zip', undefined);
    }
    assertIntact();
  });

  it('a 404 on a requested ecosystem fails with FEED', async () => {
    await assert.rejects(
      updateDb({ dbPath, mirror: server.url, ecosystems: ['Maven', 'Nope'], fetch: fast }),
      rejectsWith('FEED'),
    );
    assertIntact();
  });

  it('retries a 429 (honouring Retry-After) and then succeeds', async () => {
    let calls = 0;
    server.override('/Maven/all.zip', (_req, res) => {
      calls += 1;
      server.override('/Maven/all.zip', undefined);
      res.writeHead(429, { 'retry-after': '0' }).end();
    });
    const res = await updateDb({ dbPath, mirror: server.url, fetch: fast, force: true });
    assert.equal(calls, 1);
    assert.equal(res.sources.find((s) => s.name === 'osv:Maven')?.records, 1);
    assertIntact();
  });

  it('follows a redirect to the file, and fails a redirect loop with FEED', async () => {
    server.override('/Maven/all.zip', (_req, res) =>
      res.writeHead(302, { location: '/moved/Maven.zip' }).end(),
    );
    server.override('/moved/Maven.zip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(readFileSync(path.join(dir, 'mirror', 'Maven', 'all.zip')));
    });
    try {
      const res = await updateDb({ dbPath, mirror: server.url, fetch: fast, force: true });
      assert.equal(res.sources.find((s) => s.name === 'osv:Maven')?.records, 1);
      server.override('/moved/Maven.zip', (_req, r) =>
        r.writeHead(301, { location: '/Maven/all.zip' }).end(),
      );
      await assert.rejects(
        updateDb({ dbPath, mirror: server.url, fetch: fast, force: true }),
        rejectsWith('FEED'),
      );
    } finally {
      server.override('/Maven/all.zip', undefined);
      server.override('/moved/Maven.zip', undefined);
    }
    assertIntact();
  });

  it('a body cut short is a NETWORK error', async () => {
    server.override('/npm/all.zip', (_req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(1000));
      setImmediate(() => res.socket?.destroy());
    });
    try {
      await assert.rejects(
        updateDb({ dbPath, mirror: server.url, fetch: fast, force: true }),
        rejectsWith('NETWORK'),
      );
    } finally {
      server.override('/npm/all.zip', undefined);
    }
    assertIntact();
  });

  it('a feed larger than the size bound fails with LIMIT_EXCEEDED', async () => {
    await assert.rejects(
      updateDb({ dbPath, mirror: server.url, fetch: { ...fast, maxBytes: 10_000 }, force: true }),
      rejectsWith('LIMIT_EXCEEDED'),
    );
    assertIntact();
  });

  it('KEV refusing connections only warns and keeps the previous KEV data', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const progress = collectingProgress();
    const res = await updateDb({
      dbPath,
      mirror: server.url,
      kevUrl: `http://127.0.0.1:${port}/kev.json`,
      fetch: fast,
      progress,
    });
    assert.equal(res.sources.find((s) => s.name === 'kev')?.status, 'kept');
    assert.ok(
      progress.warnings.some((w) => w.includes('kev') && w.includes('NETWORK')),
      progress.warnings.join('\n'),
    );
    assertIntact();
  });
});

describe('db update from a local folder: archive checks', () => {
  let dir: string;
  before(() => {
    dir = tempDir('zip');
  });
  after(() => removeDir(dir));

  /** Builds a good database from `good`, then updates from `bad` and expects `code`. */
  async function expectRejected(name: string, bad: Buffer, code: string, limits = {}): Promise<void> {
    const good = await zipEntries([['TEST-1.json', osvRecord('TEST-1', 'Test', 'pkg')]]);
    const mirror = writeZipMirror(path.join(dir, name), good, { kev: false });
    const dbPath = path.join(dir, name, 'db', 'bulwark.db');
    await updateDb({ dbPath, mirror, kev: false, epss: false });
    writeFileSync(path.join(mirror, 'Test', 'all.zip'), bad);
    await assert.rejects(
      updateDb({ dbPath, mirror, kev: false, epss: false, zipLimits: limits }),
      rejectsWith(code),
    );
    const db = openVulnDb(dbPath);
    try {
      assert.deepEqual(
        db.lookup('Test', 'pkg').map((r) => r.id),
        ['TEST-1'],
      );
    } finally {
      db.close();
    }
    assert.deepEqual(dbDirFiles(dbPath), ['bulwark.db']);
  }

  it('a truncated zip fails with FEED', async () => {
    const zip = await zipEntries([['TEST-2.json', osvRecord('TEST-2', 'Test', 'pkg')]]);
    await expectRejected('truncated', zip.subarray(0, zip.length - 30), 'FEED');
  });

  it('an entry named ../x.json fails with PATH_TRAVERSAL', async () => {
    // yazl refuses such names, so the name is patched in afterwards (same length, in both headers).
    const zip = await zipEntries([['aa/x.json', osvRecord('x', 'Test', 'pkg')]]);
    const patched = Buffer.from(zip.toString('latin1').replaceAll('aa/x.json', '../x.json'), 'latin1');
    assert.notDeepEqual(patched, zip);
    await expectRejected('traversal', patched, 'PATH_TRAVERSAL');
  });

  it('an entry whose bytes do not match its CRC-32 fails with FEED', async () => {
    const zip = await zipEntries([['TEST-5.json', osvRecord('TEST-5', 'Test', 'pkg')]], { compress: false });
    const at = zip.indexOf('{"id":"TEST-5"') + '{"id":'.length;
    assert.ok(at >= '{"id":'.length, 'record body found in the stored entry');
    const tampered = Buffer.from(zip);
    tampered[at + 6] = 0x39; // TEST-5 -> TEST-9 inside the stored body only
    await expectRejected('crc', tampered, 'FEED');
  });

  it('an oversized entry fails with LIMIT_EXCEEDED', async () => {
    const big = osvRecord('TEST-3', 'Test', 'pkg', { details: 'x'.repeat(5000) });
    await expectRejected('oversized', await zipEntries([['TEST-3.json', big]]), 'LIMIT_EXCEEDED', {
      maxEntryBytes: 4096,
    });
  });

  it('a decompression bomb entry fails with LIMIT_EXCEEDED under the default bounds', async () => {
    const bomb = `{"id":"TEST-4","details":"${' '.repeat(20 * 1024 * 1024)}"}`;
    await expectRejected('bomb', await zipEntries([['TEST-4.json', bomb]]), 'LIMIT_EXCEEDED');
  });

  it('malformed records are counted and warned, the rest is stored', async () => {
    const zip = await zipEntries([
      ['GOOD-1.json', osvRecord('GOOD-1', 'Test', 'pkg', { modified: '0001-01-01T00:00:00Z' })],
      ['BAD-1.json', '{"id": "BAD-1", '],
      ['BAD-2.json', JSON.stringify({ summary: 'no id' })],
      ['BAD-3.json', JSON.stringify({ id: 'BAD-3', affected: [{ package: { ecosystem: 'Test' } }] })],
      ['OTHER.json', osvRecord('MISMATCH', 'Test', 'pkg')],
      ['README.txt', 'not a record'],
      ['GONE-1.json', osvRecord('GONE-1', 'Test', 'pkg', { withdrawn: '2024-02-01T00:00:00Z' })],
    ]);
    const mirror = writeZipMirror(path.join(dir, 'bad-records'), zip, { kev: false });
    const dbPath = path.join(dir, 'bad-records', 'db', 'bulwark.db');
    const progress = collectingProgress();
    const res = await updateDb({ dbPath, mirror, kev: false, epss: false, progress });
    const src = res.sources.find((s) => s.name === 'osv:Test');
    assert.equal(src?.records, 2);
    assert.equal(src?.badRecords, 5);
    assert.ok(
      progress.warnings.some((w) => w.includes('5 malformed')),
      progress.warnings.join('\n'),
    );
    const db = openVulnDb(dbPath);
    try {
      assert.deepEqual(
        db.lookup('Test', 'pkg').map((r) => r.id),
        ['GOOD-1'],
      );
      assert.deepEqual(db.counts(), { records: 1, withdrawn: 1, kev: 0, epss: 0, nvd: 0, vendor: 0 });
    } finally {
      db.close();
    }
  });

  it('a record listed in two ecosystem folders is stored and returned once', async () => {
    const zip = await zipEntries([
      ['REC-1.json', osvRecord('REC-1', 'Test', 'pkg', { aliases: ['CVE-2020-9'] })],
    ]);
    const mirror = writeZipMirror(path.join(dir, 'twice'), zip, { kev: false });
    mkdirSync(path.join(mirror, 'Other'));
    writeFileSync(path.join(mirror, 'Other', 'all.zip'), zip);
    writeFileSync(path.join(mirror, 'ecosystems.txt'), 'Test\nOther\n');
    const dbPath = path.join(mirror, 'db', 'x.db');
    for (const round of [1, 2]) {
      const res = await updateDb({
        dbPath,
        mirror,
        kev: false,
        epss: false,
        nvd: false,
        debianTracker: false,
      });
      assert.deepEqual(
        res.sources.map((s) => [s.name, s.status]),
        round === 1
          ? [
              ['osv:Test', 'downloaded'],
              ['osv:Other', 'downloaded'],
            ]
          : [
              ['osv:Test', 'unchanged'],
              ['osv:Other', 'unchanged'],
            ],
      );
      const db = openVulnDb(dbPath);
      try {
        assert.deepEqual(
          db.lookup('Test', 'pkg').map((r) => r.id),
          ['REC-1'],
        );
        assert.deepEqual(db.aliasesOf('CVE-2020-9'), ['REC-1']);
        assert.equal(db.counts().records, 1);
      } finally {
        db.close();
      }
    }
  });

  it('reads EPSS from gzip CSV and joins it by alias; a file:// mirror is unchanged on the next run', async () => {
    const mirror = makeMirror(path.join(dir, 'epss-mirror'), ['Maven']);
    writeEpss(mirror, [
      ['CVE-2021-44228', 0.94358, 0.99961],
      ['CVE-2021-45046', 0.9, 0.99],
    ]);
    const dbPath = path.join(dir, 'epss-mirror', 'db', 'bulwark.db');
    const url = pathToFileURL(mirror).href;
    const first = await updateDb({ dbPath, mirror: url, nvd: false, debianTracker: false });
    assert.equal(first.sources.find((s) => s.name === 'epss')?.records, 2);
    const second = await updateDb({ dbPath, mirror: url, nvd: false, debianTracker: false });
    assert.ok(second.sources.every((s) => s.status === 'unchanged'));
    const db = openVulnDb(dbPath);
    try {
      assert.deepEqual(db.epss(['GHSA-jfh8-c2jp-5v3q']), {
        cve: 'CVE-2021-44228',
        epss: 0.94358,
        percentile: 0.99961,
      });
      assert.equal(db.counts().epss, 2);
    } finally {
      db.close();
    }
  });

  it('a corrupt EPSS file only warns', async () => {
    const mirror = makeMirror(path.join(dir, 'bad-epss'), ['Maven'], { kev: false });
    writeEpss(mirror, [['CVE-2021-44228', 0.5, 0.5]]);
    writeFileSync(path.join(mirror, 'epss', 'epss_scores-current.csv.gz'), 'not gzip at all');
    const progress = collectingProgress();
    const res = await updateDb({
      dbPath: path.join(mirror, 'db', 'x.db'),
      mirror,
      progress,
      nvd: false,
      debianTracker: false,
    });
    assert.equal(res.sources.find((s) => s.name === 'epss')?.status, 'missing');
    assert.equal(res.sources.find((s) => s.name === 'kev')?.status, 'missing');
    assert.equal(progress.warnings.length, 2);
  });

  it('ecosystems default to the supported ones listed in ecosystems.txt', async () => {
    const mirror = makeMirror(path.join(dir, 'supported'), ['Maven', 'npm'], { kev: false });
    const dbPath = path.join(mirror, 'db', 'x.db');
    const res = await updateDb({ dbPath, mirror, isSupported: (e) => e === 'npm', kev: false, epss: false });
    assert.deepEqual(res.ecosystems, ['npm']);
    await assert.rejects(
      updateDb({ dbPath, mirror, isSupported: () => false, kev: false, epss: false }),
      rejectsWith('FEED'),
    );
    await assert.rejects(updateDb({ dbPath, mirror, ecosystems: ['../etc'] }), rejectsWith('USAGE'));
    await assert.rejects(updateDb({ dbPath, mirror: path.join(dir, 'nowhere') }), rejectsWith('FEED'));
  });
});
