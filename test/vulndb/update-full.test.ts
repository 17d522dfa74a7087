/**
 * Full `db update` from a local HTTP server serving the fixture copy of the shared OSV mirror: counts
 * must equal the mirror README's numbers, a second update must be answered by 304s and copy the
 * unchanged feeds, KEV joins by CVE alias, and a missing EPSS only warns.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectingProgress } from '../../src/core/progress.js';
import { dbStatus, openVulnDb, SCHEMA_VERSION, updateDb, type UpdateResult } from '../../src/vulndb/index.js';
import { FIXTURE_MIRROR, removeDir, tempDir } from './helpers/fixtures.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';

describe('db update from the full fixture mirror over HTTP', () => {
  let server: MirrorServer;
  let dir: string;
  let dbPath: string;
  let first: UpdateResult;
  const firstProgress = collectingProgress();

  before(async () => {
    server = await startMirrorServer(FIXTURE_MIRROR);
    dir = tempDir('full');
    dbPath = path.join(dir, 'db', 'bulwark.db');
    first = await updateDb({ dbPath, mirror: server.url, progress: firstProgress });
  });
  after(async () => {
    await server.close();
    removeDir(dir);
  });

  it('stores every record of every ecosystem, as counted in the mirror README', () => {
    const counts = Object.fromEntries(
      first.sources.filter((s) => s.kind !== 'nvd' && s.kind !== 'vendor').map((s) => [s.name, s.records]),
    );
    assert.deepEqual(counts, {
      'osv:Alpine': 2431,
      'osv:Debian': 8910,
      'osv:Go': 4291,
      'osv:Maven': 1,
      'osv:PyPI': 2661,
      'osv:npm': 470,
      kev: 1404,
      epss: 0,
    });
    assert.deepEqual(first.ecosystems, ['Alpine', 'Debian', 'Go', 'Maven', 'PyPI', 'npm']);
    assert.ok(
      first.sources
        .filter((s) => s.kind === 'osv')
        .every((s) => s.status === 'downloaded' && s.badRecords === 0),
    );
  });

  it('indexes records per release-qualified ecosystem exactly as the feed writes it', () => {
    const st = dbStatus(dbPath);
    const per = Object.fromEntries(st.ecosystems.map((e) => [e.ecosystem, e.records]));
    // README tables: records per Debian release and per Alpine branch.
    assert.equal(per['Debian:3.0'], 726);
    assert.equal(per['Debian:8'], 1824);
    assert.equal(per['Debian:11'], 410);
    assert.equal(per['Alpine:v3.11'], 1895);
    assert.equal(per['Alpine:v3.3'], 452);
    assert.equal(per['Debian:12'], undefined);
    // 17 Go + 10 PyPI records are withdrawn.
    assert.deepEqual(st.counts, {
      records: 18764 - 27,
      withdrawn: 27,
      kev: 1404,
      epss: 0,
      nvd: 0,
      vendor: 0,
    });
    assert.equal(st.stale, false);
    assert.equal(st.schemaVersion, SCHEMA_VERSION);
  });

  it('excludes withdrawn records from lookups and accepts zero dates', () => {
    const db = openVulnDb(dbPath);
    try {
      const all = db.ecosystems();
      assert.ok(all.includes('Go') && all.includes('Debian:10') && all.includes('PyPI'));
      // Every lookup result is non-withdrawn; Go records carry the 0001-01-01 placeholder date.
      const goRecords = db.lookup('Go', 'golang.org/x/crypto');
      assert.ok(goRecords.length > 0);
      assert.ok(goRecords.every((r) => r.withdrawn === undefined));
      assert.ok(goRecords.some((r) => r.modified === '0001-01-01T00:00:00Z'));
      const debian = db.lookup('Debian:11', 'openssl').map((r) => r.id);
      assert.ok(debian.includes('DSA-5103-1'), debian.join(','));
      assert.deepEqual(db.lookup('Debian:11', 'no-such-package'), []);
    } finally {
      db.close();
    }
  });

  it('joins KEV by CVE id and through aliases in both directions', () => {
    const db = openVulnDb(dbPath);
    try {
      const viaGhsa = db.kev(['GHSA-jfh8-c2jp-5v3q']);
      assert.equal(viaGhsa?.cveID, 'CVE-2021-44228');
      assert.equal(viaGhsa?.knownRansomwareCampaignUse, 'Known');
      const dsa = db.lookup('Debian:11', 'apache-log4j2').find((r) => r.aliases?.includes('CVE-2021-44228'));
      assert.ok(dsa, 'a Debian record for Log4Shell');
      assert.equal(db.kev([dsa.id, ...(dsa.aliases ?? [])])?.cveID, 'CVE-2021-44228');
      assert.ok(db.aliasesOf('CVE-2021-44228').includes('GHSA-jfh8-c2jp-5v3q'));
      assert.equal(db.kev(['CVE-1999-0001']), undefined);
    } finally {
      db.close();
    }
  });

  it('warns about the missing EPSS feed without failing', () => {
    assert.equal(first.sources.find((s) => s.name === 'epss')?.status, 'missing');
    assert.ok(firstProgress.warnings.some((w) => w.includes('epss')));
    assert.equal(server.count('/epss/epss_scores-current.csv.gz', 404), 1);
  });

  it('second update: conditional requests, 304s, nothing re-downloaded, same content', async () => {
    const before200 = server.requests.filter((r) => r.status === 200).length;
    const second = await updateDb({ dbPath, mirror: server.url });
    const zips = ['Alpine', 'Debian', 'Go', 'Maven', 'PyPI', 'npm'].map((e) => `/${e}/all.zip`);
    for (const z of zips) {
      assert.equal(server.count(z, 200), 1, `${z} downloaded once`);
      assert.equal(server.count(z, 304), 1, `${z} answered 304`);
    }
    assert.equal(server.count('/kev/known_exploited_vulnerabilities.json', 304), 1);
    // Only ecosystems.txt is fetched again in full.
    assert.equal(server.requests.filter((r) => r.status === 200).length - before200, 1);
    // the fixture mirror has no EPSS, NVD or tracker data: those stay missing
    assert.ok(
      second.sources
        .filter((s) => s.name !== 'epss' && s.kind !== 'nvd' && s.kind !== 'vendor')
        .every((s) => s.status === 'unchanged'),
    );
    const st = dbStatus(dbPath);
    assert.equal(st.counts.records, 18764 - 27);
    assert.equal(st.counts.kev, 1404);
    const db = openVulnDb(dbPath);
    try {
      assert.ok(db.lookup('Debian:11', 'openssl').some((r) => r.id === 'DSA-5103-1'));
      assert.equal(db.kev(['GHSA-jfh8-c2jp-5v3q'])?.cveID, 'CVE-2021-44228');
    } finally {
      db.close();
    }
    // No temp files left beside the database.
    assert.deepEqual(readdirSync(path.dirname(dbPath)), ['bulwark.db']);
    assert.ok(existsSync(dbPath));
  });
});
