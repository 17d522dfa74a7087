/**
 * NVD JSON 2.0 feed files (from a configurable URL, a directory, or a mirror's nvd/ folder) and the
 * Debian security tracker's JSON, read by `db update` from local servers and temp dirs; hostile
 * documents fail with typed errors naming the input and degrade only their own source.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { BulwarkError } from '../../src/core/errors.js';
import { readDebianTracker, trackerRows, type VendorRow } from '../../src/vulndb/debian-tracker.js';
import { dbStatus, openVulnDb, updateDb } from '../../src/vulndb/index.js';
import { readNvdDocument, type NvdEntry } from '../../src/vulndb/nvd.js';
import { makeMirror, removeDir, tempDir } from './helpers/fixtures.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';
import { loadNvdRecords, writeNvdFeeds } from './helpers/nvd-server.js';

const RECORDS = loadNvdRecords();
const TRACKER = path.resolve(import.meta.dirname, '../fixtures/vendor/debian/tracker.json');

async function rejects(p: Promise<unknown>, code: string, input: string): Promise<void> {
  const err = await p.then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof BulwarkError, String(err));
  assert.equal(err.code, code, err.message);
  assert.equal(err.input, input);
}

describe('NVD JSON 2.0 feed files', () => {
  let dir: string;
  before(() => {
    dir = tempDir('nvd-feeds');
  });
  after(() => removeDir(dir));

  it('streams a gzip feed record by record', async () => {
    const [file] = writeNvdFeeds(path.join(dir, 'plain'), { '2022': RECORDS }, false);
    const entries: NvdEntry[] = [];
    const out = await readNvdDocument(path.join(dir, 'plain', file!), 'feed', (e) => entries.push(e));
    assert.deepEqual(out, { records: 24, bad: 0 });
    assert.deepEqual(
      entries.map((e) => e.cve),
      RECORDS.map((c) => c.id),
    );
  });

  it('bounds the inflated size (a gzip bomb) and rejects garbled JSON, naming the input', async () => {
    const bomb = path.join(dir, 'bomb.json.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)));
    await rejects(
      readNvdDocument(bomb, 'https://nvd.example/bomb', () => {}, { maxBytes: 1024 * 1024 }),
      'LIMIT_EXCEEDED',
      'https://nvd.example/bomb',
    );
    const garbled = path.join(dir, 'garbled.json');
    writeFileSync(garbled, '{"vulnerabilities": [{"cve": {"id": "CVE-2022-1292"}}, {"cve": ');
    await rejects(
      readNvdDocument(garbled, 'https://nvd.example/garbled', () => {}),
      'FEED',
      'https://nvd.example/garbled',
    );
  });

  describe('through db update', () => {
    let server: MirrorServer;
    let root: string;
    before(async () => {
      root = path.join(dir, 'served');
      makeMirror(path.join(root, 'mirror'), ['npm']);
      // the yearly files, then `modified` holding a newer state of one CVE (NVD rejected it)
      const by = (y: string) => RECORDS.filter((c) => c.id.startsWith(`CVE-${y}-`));
      const modified = RECORDS.filter((c) => c.id === 'CVE-2022-2068').map((c) => ({
        ...c,
        lastModified: '2026-11-19T00:00:00.000',
        vulnStatus: 'Rejected',
        metrics: {},
      }));
      writeNvdFeeds(path.join(root, 'mirror', 'nvd'), {
        '2018': by('2018'),
        '2021': by('2021'),
        '2022': by('2022'),
        '2023': by('2023'),
        modified,
      });
      writeNvdFeeds(path.join(root, 'elsewhere'), { '2022': by('2022') });
      server = await startMirrorServer(root);
    });
    after(() => server.close());

    it("picks up a mirror's nvd/ folder without any NVD option; the modified feed wins", async () => {
      const dbPath = path.join(dir, 'mirror-db', 'bulwark.db');
      const res = await updateDb({
        dbPath,
        mirror: `${server.url}mirror/`,
        debianTracker: false,
        epss: false,
      });
      const nvd = res.sources.filter((s) => s.kind === 'nvd');
      assert.deepEqual(
        nvd.map((s) => [s.name, s.status]),
        [
          ['nvd:nvdcve-2.0-2018.json.gz', 'downloaded'],
          ['nvd:nvdcve-2.0-2021.json.gz', 'downloaded'],
          ['nvd:nvdcve-2.0-2022.json.gz', 'downloaded'],
          ['nvd:nvdcve-2.0-2023.json.gz', 'downloaded'],
          ['nvd:nvdcve-2.0-modified.json.gz', 'downloaded'],
        ],
      );
      assert.equal(dbStatus(dbPath).counts.nvd, 24);
      const db = openVulnDb(dbPath);
      try {
        assert.deepEqual(db.nvd!(['CVE-2022-2068']), []);
        const [r] = db.nvd!(['CVE-2022-1292']);
        assert.equal(r!.severity[0]!.type, 'CVSS_V3');
      } finally {
        db.close();
      }
      // a second run: every feed answers 304 and is copied
      const again = await updateDb({
        dbPath,
        mirror: `${server.url}mirror/`,
        debianTracker: false,
        epss: false,
      });
      assert.ok(again.sources.filter((s) => s.kind === 'nvd').every((s) => s.status === 'unchanged'));
      assert.equal(dbStatus(dbPath).counts.nvd, 24);
    });

    it('reads feeds from a configurable URL (--nvd-feeds) and from a plain directory', async () => {
      const fromUrl = await updateDb({
        dbPath: path.join(dir, 'url-db', 'bulwark.db'),
        mirror: `${server.url}mirror/`,
        debianTracker: false,
        epss: false,
        nvd: { feeds: `${server.url}elsewhere/` },
      });
      assert.deepEqual(
        fromUrl.sources.filter((s) => s.kind === 'nvd').map((s) => [s.url, s.records]),
        [
          [
            `${server.url}elsewhere/nvdcve-2.0-2022.json.gz`,
            RECORDS.filter((c) => c.id.startsWith('CVE-2022-')).length,
          ],
        ],
      );
      const dirDb = path.join(dir, 'dir-db', 'bulwark.db');
      await updateDb({
        dbPath: dirDb,
        mirror: `${server.url}mirror/`,
        debianTracker: false,
        epss: false,
        nvd: { feeds: path.join(root, 'mirror', 'nvd') },
      });
      assert.equal(dbStatus(dirDb).counts.nvd, 24);
    });

    it('a broken feed file degrades only itself', async () => {
      const bad = path.join(dir, 'broken-feeds');
      writeNvdFeeds(bad, { '2021': RECORDS.filter((c) => c.id.startsWith('CVE-2021-')) });
      writeFileSync(path.join(bad, 'nvdcve-2.0-2022.json.gz'), gzipSync('{"vulnerabilities": [ {"cve": '));
      writeFileSync(
        path.join(bad, 'feeds.txt'),
        'nvdcve-2.0-2021.json.gz\nnvdcve-2.0-2022.json.gz\n../../etc/passwd\n',
      );
      const res = await updateDb({
        dbPath: path.join(dir, 'broken-db', 'bulwark.db'),
        mirror: `${server.url}mirror/`,
        debianTracker: false,
        epss: false,
        nvd: { feeds: bad },
      });
      const nvd = res.sources.filter((s) => s.kind === 'nvd');
      assert.deepEqual(
        nvd.map((s) => [s.name, s.status, s.records]),
        [
          ['nvd:nvdcve-2.0-2021.json.gz', 'downloaded', 3],
          ['nvd:nvdcve-2.0-2022.json.gz', 'missing', 0],
        ],
      );
      assert.ok(res.warnings.some((w) => /ignoring "\.\.\/\.\.\/etc\/passwd"/.test(w)));
      assert.ok(res.warnings.some((w) => /nvdcve-2\.0-2022\.json\.gz.*not an NVD JSON document/.test(w)));
    });
  });
});

describe('Debian security tracker JSON', () => {
  let dir: string;
  before(() => {
    dir = tempDir('tracker');
  });
  after(() => removeDir(dir));

  it("keeps the tracker's urgencies per release and package, NVD's marked **, and skips non-ratings", async () => {
    const rows: VendorRow[] = [];
    const out = await readDebianTracker(TRACKER, 'tracker', (r) => rows.push(r));
    const got = rows.map((r) => `${r.package} ${r.cve} ${r.ecosystem} ${r.label}`).sort();
    assert.deepEqual(got, [
      'backupninja CVE-2005-3111 Debian:10 medium',
      'backupninja CVE-2005-3111 Debian:8 medium',
      'backupninja CVE-2005-3111 Debian:9 medium',
      'prototypejs CVE-2007-2383 Debian:10 unimportant',
      'prototypejs CVE-2007-2383 Debian:8 unimportant',
      'prototypejs CVE-2007-2383 Debian:9 unimportant',
      'prototypejs CVE-2008-7220 Debian:10 high**',
      'prototypejs CVE-2008-7220 Debian:8 high**',
      'prototypejs CVE-2008-7220 Debian:9 high**',
      'txt2man CVE-2013-1444 Debian:10 low**',
      'txt2man CVE-2013-1444 Debian:8 low**',
      'txt2man CVE-2013-1444 Debian:9 low**',
    ]);
    // chromium: `not yet assigned` and `end-of-life` rate nothing; an empty releases list is fine
    assert.deepEqual(out, { records: 12, bad: 0 });
    assert.ok(rows.every((r) => r.vendor === 'debian'));
  });

  it('one malformed package or CVE entry degrades itself only', () => {
    assert.deepEqual(trackerRows('../evil', {}), { rows: [], bad: 1 });
    const out = trackerRows('openssl', {
      'CVE-2022-1292': { releases: { bullseye: { status: 'resolved', urgency: 'medium' } } },
      'CVE-2022-2068': { releases: 'garbage' },
      'CVE-2022-0778': { releases: { bullseye: { urgency: 42 } } },
      'TEMP-0000000-ABCDEF': { releases: { bullseye: { urgency: 'low' } } },
    });
    assert.deepEqual(out, {
      rows: [
        {
          cve: 'CVE-2022-1292',
          ecosystem: 'Debian:11',
          package: 'openssl',
          vendor: 'debian',
          label: 'medium',
        },
      ],
      bad: 2,
    });
  });

  it('rejects garbled JSON and oversized exports with typed errors naming the URL', async () => {
    const garbled = path.join(dir, 'garbled.json');
    writeFileSync(garbled, '{"openssl": {"CVE-2022-1292": {"releases": ');
    await rejects(
      readDebianTracker(garbled, 'https://tracker.example/json', () => {}),
      'FEED',
      'https://tracker.example/json',
    );
    const big = path.join(dir, 'big.json.gz');
    writeFileSync(big, gzipSync(`{"a": "${'x'.repeat(4 * 1024 * 1024)}"}`));
    await rejects(
      readDebianTracker(big, 'https://tracker.example/big', () => {}, { maxBytes: 1024 * 1024 }),
      'LIMIT_EXCEEDED',
      'https://tracker.example/big',
    );
  });

  it("db update reads a mirror's debian/tracker.json (gzip) and warns, not fails, when it is garbled", async () => {
    const mirror = makeMirror(path.join(dir, 'mirror'), ['npm']);
    mkdirSync(path.join(mirror, 'debian'));
    writeFileSync(path.join(mirror, 'debian', 'tracker.json'), gzipSync(readFileSync(TRACKER)));
    const server = await startMirrorServer(mirror);
    try {
      const dbPath = path.join(dir, 'db', 'bulwark.db');
      const res = await updateDb({ dbPath, mirror: server.url, epss: false, nvd: false });
      const src = res.sources.find((s) => s.name === 'debian-tracker')!;
      assert.deepEqual([src.status, src.records, src.kind], ['downloaded', 12, 'vendor']);
      const db = openVulnDb(dbPath);
      try {
        assert.deepEqual(
          db.vendorRatings!(['CVE-2007-2383']).map((r) => `${r.ecosystem} ${r.label}`),
          ['Debian:10 unimportant', 'Debian:8 unimportant', 'Debian:9 unimportant'],
        );
      } finally {
        db.close();
      }
      writeFileSync(path.join(mirror, 'debian', 'tracker.json'), '{"openssl": [1, 2');
      const again = await updateDb({ dbPath, mirror: server.url, epss: false, nvd: false });
      assert.equal(again.sources.find((s) => s.name === 'debian-tracker')!.status, 'kept');
      assert.ok(
        again.warnings.some((w) => /debian-tracker feed unavailable .*not the Debian tracker's JSON/.test(w)),
      );
      assert.equal(dbStatus(dbPath).counts.vendor, 12);
    } finally {
      await server.close();
    }
  });
});
