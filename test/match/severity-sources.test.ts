/**
 * Where a finding's severity comes from, through the real pipeline: a mirror with real Debian
 * advisories, recorded NVD records as an NVD JSON 2.0 feed and a Debian tracker export, built by
 * `db update` into SQLite and matched. The vendor's rating sits beside NVD's CVSS, the order of
 * `--severity-source` decides, and Ubuntu's and Red Hat's own ratings come from their records.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { OsInfo } from '../../src/core/types.js';
import {
  DEFAULT_SEVERITY_SOURCES,
  matchInventory,
  MATCH_DB_BUILD,
  parseSeveritySources,
  type VulnFinding,
} from '../../src/match/index.js';
import { buildDbFromDirectory, openVulnDb, type OpenedVulnDb } from '../../src/vulndb/index.js';
import type { OsvRecord } from '../../src/vulndb/types.js';
import { removeDir, tempDir, zipEntries } from '../vulndb/helpers/fixtures.js';
import { loadNvdRecords, writeNvdFeeds } from '../vulndb/helpers/nvd-server.js';
import { inventory, memoryDb, OSV_DIR, pkg } from './helpers.js';

const bullseye: OsInfo = {
  family: 'debian',
  name: 'Debian GNU/Linux',
  version: '11',
  ecosystem: 'Debian:11',
};
const focal: OsInfo = { family: 'ubuntu', name: 'Ubuntu', version: '20.04', ecosystem: 'Ubuntu:20.04:LTS' };
const UBUNTU = path.resolve(import.meta.dirname, '../fixtures/vendor/ubuntu/UBUNTU-CVE-2022-1292.json');

function libssl(version: string, os: OsInfo, source = 'openssl') {
  const family = os.family;
  return inventory(
    [
      pkg({
        name: 'libssl1.1',
        version,
        ecosystem: family === 'ubuntu' ? 'Ubuntu' : 'Debian',
        type: 'os',
        purl: `pkg:deb/${family}/libssl1.1@${encodeURIComponent(version)}`,
        location: 'var/lib/dpkg/status',
        sourceName: source,
      }),
    ],
    os,
  );
}

const byId = (fs: readonly VulnFinding[], id: string) => {
  const f = fs.find((x) => x.id === id);
  assert.ok(f, `no finding ${id} in ${fs.map((x) => x.id).join(', ')}`);
  return f;
};

describe('severity sources through db update and the matcher', () => {
  let dir: string;
  let db: OpenedVulnDb;
  before(async () => {
    dir = tempDir('severity');
    const mirror = path.join(dir, 'mirror');
    mkdirSync(path.join(mirror, 'Debian'), { recursive: true });
    // two real Debian advisories for openssl in bullseye (DSA-5139-1: CVE-2022-1292,
    // DSA-5169-1: CVE-2022-2068); neither carries a rating of its own
    const dsas = ['DSA-5139-1.json', 'DSA-5169-1.json'].map(
      (f) => [f, readFileSync(path.join(OSV_DIR, 'Debian', f))] as [string, Buffer],
    );
    writeFileSync(path.join(mirror, 'Debian', 'all.zip'), await zipEntries(dsas));
    writeFileSync(path.join(mirror, 'ecosystems.txt'), 'Debian\n');
    // recorded NVD data for CVE-2022-1292 only: CVE-2022-2068 must fall back to the tracker's `**`
    writeNvdFeeds(path.join(mirror, 'nvd'), {
      '2022': loadNvdRecords().filter((c) => c.id === 'CVE-2022-1292'),
    });
    // the tracker export's shape; the urgencies are chosen by the test (one Debian rating, one
    // NVD severity marked `**`), not copied from the tracker
    mkdirSync(path.join(mirror, 'debian'));
    writeFileSync(
      path.join(mirror, 'debian', 'tracker.json'),
      JSON.stringify({
        openssl: {
          'CVE-2022-1292': {
            releases: {
              bullseye: { status: 'resolved', urgency: 'low', fixed_version: '1.1.1n-0+deb11u2' },
              buster: { status: 'resolved', urgency: 'medium' },
            },
          },
          'CVE-2022-2068': { releases: { bullseye: { status: 'resolved', urgency: 'medium**' } } },
        },
      }),
    );
    const dbPath = path.join(dir, 'db', 'bulwark.db');
    await buildDbFromDirectory(mirror, dbPath, { ...MATCH_DB_BUILD, kev: false, epss: false });
    db = openVulnDb(dbPath);
  });
  after(() => {
    db.close();
    removeDir(dir);
  });

  it("default order vendor,nvd,ghsa: Debian's urgency decides, NVD's CVSS is shown beside it", () => {
    assert.deepEqual(DEFAULT_SEVERITY_SOURCES, ['vendor', 'nvd', 'ghsa']);
    const fs = matchInventory(libssl('1.1.1k-1+deb11u1', bullseye), db).findings;
    const f = byId(fs, 'CVE-2022-1292');
    const nvd = loadNvdRecords().find((c) => c.id === 'CVE-2022-1292')!;
    const primary = (
      nvd.metrics!.cvssMetricV31 as { type: string; cvssData: { vectorString: string; baseScore: number } }[]
    ).find((m) => m.type === 'Primary')!.cvssData;
    assert.equal(f.severity, 'LOW');
    assert.deepEqual(f.severitySource, { source: 'vendor', record: 'CVE-2022-1292', type: 'debian_urgency' });
    assert.deepEqual(f.vendorSeverity, {
      vendor: 'debian',
      severity: 'LOW',
      label: 'low',
      record: 'CVE-2022-1292',
    });
    assert.equal(f.cvss?.vector, primary.vectorString);
    assert.equal(f.cvss?.score, primary.baseScore);
    assert.equal(f.cvssSource?.source, 'nvd');
    assert.deepEqual(
      f.ratings.map((r) => [r.source, r.severity, r.type]),
      [
        ['vendor', 'LOW', 'debian_urgency'],
        ['nvd', 'HIGH', 'CVSS_V3.1'],
      ],
    );
  });

  it("without NVD data for a CVE, the tracker's `**` severity stands in for NVD", () => {
    const f = byId(matchInventory(libssl('1.1.1k-1+deb11u1', bullseye), db).findings, 'CVE-2022-2068');
    assert.equal(f.severity, 'MEDIUM');
    assert.deepEqual(f.severitySource, { source: 'nvd', record: 'CVE-2022-2068', type: 'nvd_severity' });
    assert.equal(f.vendorSeverity, undefined);
    assert.equal(f.cvss, undefined);
  });

  it('--severity-source changes which rating decides; every rating stays on the finding', () => {
    const run = (order: string) => {
      const sources = parseSeveritySources(order);
      assert.ok(Array.isArray(sources));
      return byId(
        matchInventory(libssl('1.1.1k-1+deb11u1', bullseye), db, { severitySources: sources }).findings,
        'CVE-2022-1292',
      );
    };
    const nvdFirst = run('nvd,vendor,ghsa');
    assert.equal(nvdFirst.severity, 'HIGH');
    assert.equal(nvdFirst.severitySource?.source, 'nvd');
    assert.equal(nvdFirst.vendorSeverity?.severity, 'LOW');
    // GHSA only: no advisory record rates this CVE, so it is UNKNOWN, but the ratings are kept
    const ghsa = run('ghsa');
    assert.equal(ghsa.severity, 'UNKNOWN');
    assert.equal(ghsa.severitySource, undefined);
    assert.equal(ghsa.ratings.length, 2);
    assert.equal(run('vendor').severity, 'LOW');
  });

  it('the tracker row applies to its own release only', () => {
    // the same advisory for buster would take the buster row (medium); bullseye's stays low
    const rows = db.vendorRatings!(['CVE-2022-1292']);
    assert.deepEqual(
      rows.map((r) => `${r.ecosystem} ${r.package} ${r.label}`),
      ['Debian:10 openssl medium', 'Debian:11 openssl low'],
    );
  });

  it('parses --severity-source strictly', () => {
    assert.deepEqual(parseSeveritySources(' NVD , vendor,nvd'), ['nvd', 'vendor']);
    assert.deepEqual(parseSeveritySources('vendor,cvss'), { unknown: 'cvss' });
    assert.deepEqual(parseSeveritySources(','), { unknown: ',' });
  });
});

describe("distributions' own ratings in their OSV records", () => {
  const ubuntu = JSON.parse(readFileSync(UBUNTU, 'utf8')) as OsvRecord;
  const nvdDb = (records: OsvRecord[]) => {
    const nvd = loadNvdRecords().find((c) => c.id === 'CVE-2022-1292')!;
    const v31 = (
      nvd.metrics!.cvssMetricV31 as { type: string; source: string; cvssData: { vectorString: string } }[]
    ).find((m) => m.type === 'Primary')!;
    return {
      ...memoryDb(records),
      nvd: (cves: readonly string[]) =>
        cves.includes('CVE-2022-1292')
          ? [
              {
                cve: 'CVE-2022-1292',
                severity: [
                  { type: 'CVSS_V3', score: v31.cvssData.vectorString, source: v31.source, primary: true },
                ],
              },
            ]
          : [],
    };
  };

  it("Ubuntu's priority is the vendor rating; the record's own CVSS does not count as GHSA's", () => {
    const fs = matchInventory(libssl('1.1.1f-1ubuntu2.12', focal), nvdDb([ubuntu])).findings;
    assert.equal(fs.length, 1);
    const f = fs[0]!;
    assert.equal(f.severity, 'MEDIUM');
    assert.deepEqual(f.vendorSeverity, {
      vendor: 'ubuntu',
      severity: 'MEDIUM',
      label: 'medium',
      record: 'UBUNTU-CVE-2022-1292',
    });
    assert.equal(f.severitySource?.type, 'ubuntu_priority');
    assert.equal(f.cvssSource?.source, 'nvd');
    assert.deepEqual(
      f.ratings.map((r) => r.source),
      ['vendor', 'nvd'],
    );
    // fixed version: no finding
    assert.equal(matchInventory(libssl('1.1.1f-1ubuntu2.13', focal), nvdDb([ubuntu])).findings.length, 0);
  });

  it("Red Hat's record rates with its own CVSS (RHSA records carry no label field)", () => {
    // the shape Red Hat's OSV export uses: a record-level CVSS_V3, the CVEs under `upstream` (no
    // aliases): NVD's rating is found through `upstream`
    const rhsa = {
      id: 'RHSA-2022:5818',
      modified: '2024-01-01T00:00:00Z',
      upstream: ['CVE-2022-1292'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:L' }],
      affected: [
        {
          package: { ecosystem: 'Red Hat:enterprise_linux:8::baseos', name: 'openssl' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:1.1.1k-7.el8_6' }] }],
        },
      ],
    } as unknown as OsvRecord;
    const el8: OsInfo = {
      family: 'rhel',
      name: 'Red Hat Enterprise Linux',
      version: '8.6',
      ecosystem: 'Red Hat:enterprise_linux:8::baseos',
    };
    const inv = inventory(
      [
        pkg({
          name: 'openssl',
          version: '1:1.1.1k-6.el8_5',
          ecosystem: 'Red Hat',
          type: 'os',
          purl: 'pkg:rpm/redhat/openssl@1.1.1k-6.el8_5?epoch=1',
          location: 'var/lib/rpm/rpmdb.sqlite',
        }),
      ],
      el8,
    );
    const fs = matchInventory(inv, nvdDb([rhsa])).findings;
    assert.equal(fs.length, 1, JSON.stringify(fs.map((f) => f.id)));
    const f = fs[0]!;
    assert.equal(f.vendorSeverity?.vendor, 'redhat');
    assert.equal(f.severity, 'MEDIUM');
    assert.equal(f.cvssSource?.source, 'vendor');
    assert.equal(f.cvss?.score, 5.3);
    const nvdFirst = matchInventory(inv, nvdDb([rhsa]), { severitySources: ['nvd', 'vendor'] }).findings[0]!;
    assert.equal(nvdFirst.cvssSource?.source, 'nvd');
    assert.equal(nvdFirst.severity, 'HIGH');
  });
});
