import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OsInfo } from '../../src/core/types.js';
import { matchInventory } from '../../src/match/index.js';
import { inventory, loadFixtureRecords, memoryDb, pkg } from './helpers.js';

const records = loadFixtureRecords();
const db = memoryDb(records.values());

const buster: OsInfo = { family: 'debian', name: 'Debian GNU/Linux', version: '10', ecosystem: 'Debian:10' };
const jessie: OsInfo = { family: 'debian', name: 'Debian GNU/Linux', version: '8', ecosystem: 'Debian:8' };
const alpine311: OsInfo = {
  family: 'alpine',
  name: 'Alpine Linux',
  version: '3.11.6',
  ecosystem: 'Alpine:v3.11',
};

function deb(name: string, version: string, source?: string, sourceVersion?: string) {
  return pkg({
    name,
    version,
    ecosystem: 'Debian',
    type: 'os',
    purl: `pkg:deb/debian/${name}@${encodeURIComponent(version)}`,
    location: 'var/lib/dpkg/status',
    ...(source ? { sourceName: source } : {}),
    ...(sourceVersion ? { sourceVersion } : {}),
  });
}

function ids(inv: ReturnType<typeof inventory>): string[] {
  return matchInventory(inv, db).findings.map((f) => f.records.join('+'));
}

describe('Debian (DSA/DLA, source packages, dpkg ordering)', () => {
  it('matches a binary package through its source name and source version, epochs included', () => {
    const r = matchInventory(
      inventory([deb('qemu-utils', '1:3.1+dfsg-8+deb10u8+b1', 'qemu', '1:3.1+dfsg-8+deb10u8')], buster),
      db,
    );
    const found = r.findings.map((f) => f.records[0]).sort();
    // DSA-4760-1 fixed exactly deb10u8 (fixed is exclusive), DSA-4728-1 earlier
    assert.deepEqual(found, ['DLA-3099-1', 'DLA-3362-1']);
    const f = r.findings.find((x) => x.records[0] === 'DLA-3099-1')!;
    assert.deepEqual(f.matched, { ecosystem: 'Debian:10', name: 'qemu', version: '1:3.1+dfsg-8+deb10u8' });
    assert.equal(f.fixedVersion, '1:3.1+dfsg-8+deb10u9');
    // many CVEs in one advisory: the advisory id stays primary, the CVEs are aliases
    assert.equal(f.id, 'DLA-3099-1');
    assert.ok(f.aliases.length > 10 && f.aliases.every((a) => a.startsWith('CVE-')));
    assert.equal(f.package.name, 'qemu-utils');
  });

  it('orders tildes and epochs as dpkg does', () => {
    const tb = (v: string) => ids(inventory([deb('thunderbird', v)], buster));
    assert.deepEqual(tb('1:91.12.0-1~deb10u1'), ['DLA-3097-1']);
    assert.deepEqual(tb('1:91.13.0-1~deb10u1'), []);
    // no tilde sorts after the tilde form: already past the fix
    assert.deepEqual(tb('1:91.13.0-1'), []);
    // a bare tilde sorts before ~deb10u1
    assert.deepEqual(tb('1:91.13.0-1~'), ['DLA-3097-1']);
    // a missing epoch is epoch 0, below every 1: version
    assert.deepEqual(tb('102.0-1'), ['DLA-3097-1']);
  });

  it('uses the source name when the binary name differs (libssl1.1 from openssl)', () => {
    const r = matchInventory(inventory([deb('libssl1.1', '1.1.1n-0+deb10u3', 'openssl')], buster), db);
    assert.deepEqual(
      r.findings.map((f) => f.records[0]),
      ['DLA-3325-1'],
    );
    assert.equal(r.findings[0]!.fixedVersion, '1.1.1n-0+deb10u4');
    // without a source name, the binary name finds nothing: the feed names source packages
    assert.equal(
      matchInventory(inventory([deb('libssl1.1', '1.1.1n-0+deb10u3')], buster), db).findings.length,
      0,
    );
  });

  it('matches only the records of the image release', () => {
    const stretch: OsInfo = { ...buster, version: '9', ecosystem: 'Debian:9' };
    // the buster advisories would match this version, but the image is stretch
    assert.equal(matchInventory(inventory([deb('qemu', '1:2.8+dfsg-6')], stretch), db).findings.length, 0);
    assert.equal(matchInventory(inventory([deb('qemu', '1:2.8+dfsg-6')], buster), db).findings.length, 4);
  });

  it('merges advisories that share CVEs into one finding with all aliases and every fix', () => {
    const r = matchInventory(inventory([deb('libexiv2-13', '0.24-4.1', 'exiv2')], jessie), db);
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.deepEqual(f.records, ['DLA-1402-1', 'DLA-1551-1']);
    assert.equal(f.id, 'DLA-1402-1');
    assert.ok(f.aliases.includes('DLA-1551-1'));
    assert.ok(f.aliases.includes('CVE-2018-10958'));
    assert.deepEqual(f.fixedVersions, ['0.24-4.1+deb8u1', '0.24-4.1+deb8u2']);
    assert.equal(f.fixedVersion, '0.24-4.1+deb8u1');
    // past the first fix only the later advisory remains
    const later = matchInventory(inventory([deb('libexiv2-13', '0.24-4.1+deb8u1', 'exiv2')], jessie), db);
    assert.deepEqual(
      later.findings.map((x) => x.records),
      [['DLA-1551-1']],
    );
  });
});

describe('severity from related records', () => {
  it('rates a Debian advisory from the GHSA record of the same CVE when it has no CVSS itself', () => {
    const inv = inventory([deb('liblog4j2-java', '2.11.1-2', 'apache-log4j2')], buster);
    const r = matchInventory(inv, db);
    assert.deepEqual(
      r.findings.map((f) => [f.id, f.severity, f.fixedVersion]),
      [
        ['CVE-2021-44228', 'CRITICAL', '2.15.0-1~deb10u1'],
        ['CVE-2021-45046', 'UNKNOWN', '2.16.0-1~deb10u1'],
      ],
    );
    const log4shell = r.findings[0]!;
    assert.deepEqual(log4shell.severitySource, {
      source: 'ghsa',
      record: 'GHSA-jfh8-c2jp-5v3q',
      type: 'CVSS_V3.1',
    });
    // the related record rates the finding; it is not one of its records or aliases
    assert.deepEqual(log4shell.records, ['DSA-5020-1']);
    assert.deepEqual(log4shell.aliases, ['DSA-5020-1']);
    // a database without `related` leaves the advisory unrated
    const { related: _unused, ...plain } = memoryDb(records.values());
    assert.equal(matchInventory(inv, plain).findings[0]!.severity, 'UNKNOWN');
  });
});

describe('Alpine (origin names, apk ordering)', () => {
  const apk = (name: string, version: string, origin?: string) =>
    pkg({
      name,
      version,
      ecosystem: 'Alpine',
      type: 'os',
      purl: `pkg:apk/alpine/${name}@${version}`,
      location: 'lib/apk/db/installed',
      ...(origin ? { sourceName: origin } : {}),
    });

  it('matches libcrypto1.1 through its origin openssl', () => {
    const r = matchInventory(inventory([apk('libcrypto1.1', '1.1.1d-r2', 'openssl')], alpine311), db);
    assert.deepEqual(
      r.findings.map((f) => f.id),
      ['CVE-2019-1551'],
    );
    const f = r.findings[0]!;
    assert.deepEqual(f.aliases, ['ALPINE-CVE-2019-1551']);
    assert.equal(f.fixedVersion, '1.1.1d-r3');
    assert.equal(f.matched.name, 'openssl');
  });

  it('uses the fix of the image branch', () => {
    const v310: OsInfo = { ...alpine311, version: '3.10.5', ecosystem: 'Alpine:v3.10' };
    const v33: OsInfo = { ...alpine311, version: '3.3.3', ecosystem: 'Alpine:v3.3' };
    const ids = (os: OsInfo) =>
      matchInventory(inventory([apk('openssl', '1.1.1d-r0')], os), db).findings.map((f) => f.id);
    // CVE-2019-1547 was fixed in 1.1.1d-r0 on v3.10 but only in 1.1.1d-r1 on v3.11
    assert.deepEqual(ids(v310), []);
    assert.deepEqual(ids(alpine311), ['CVE-2019-1547', 'CVE-2019-1551']);
    assert.deepEqual(ids(v33), []);
  });
});

describe('Go (SEMVER ranges, stdlib, withdrawn)', () => {
  const go = (name: string, version: string) =>
    pkg({
      name,
      version,
      ecosystem: 'Go',
      purl: `pkg:golang/${name}@${version}`,
      location: 'usr/local/bin/app',
    });

  it('matches stdlib with several introduced/fixed pairs and picks the lowest fix above the version', () => {
    const r = matchInventory(inventory([go('stdlib', '1.23.11')]), db);
    assert.deepEqual(
      r.findings.map((f) => f.id),
      ['CVE-2025-47906', 'CVE-2025-47907'],
    );
    const f = r.findings.find((x) => x.id === 'CVE-2025-47907')!;
    assert.deepEqual(f.fixedVersions, ['1.23.12', '1.24.6']);
    assert.equal(f.fixedVersion, '1.23.12');
    // the duplicated alias in GO-2025-3956 is listed once
    assert.deepEqual(r.findings.find((x) => x.id === 'CVE-2025-47906')!.aliases, ['GO-2025-3956']);
  });

  it('respects the second pair and the introduced bound', () => {
    assert.deepEqual(
      matchInventory(inventory([go('stdlib', '1.24.5')]), db).findings.map((f) => f.fixedVersion),
      ['1.24.6', '1.24.6'],
    );
    assert.deepEqual(matchInventory(inventory([go('stdlib', '1.24.6')]), db).findings, []);
    // GO-2025-3955 starts at 1.25.0
    assert.deepEqual(
      matchInventory(inventory([go('stdlib', '1.25.0')]), db).findings.map((f) => f.records[0]),
      ['GO-2025-3955'],
    );
    // module versions carry a leading v; SEMVER ranges are written without it
    assert.equal(matchInventory(inventory([go('stdlib', 'v1.25.0')]), db).findings.length, 1);
  });

  it('ignores withdrawn records even when the database returns them', () => {
    assert.deepEqual(
      matchInventory(inventory([go('github.com/opencontainers/runc', '1.1.0')]), db).findings,
      [],
    );
  });
});

describe('npm (last_affected, several pairs, prereleases)', () => {
  const npm = (name: string, version: string) =>
    pkg({
      name,
      version,
      ecosystem: 'npm',
      purl: `pkg:npm/${name}@${version}`,
      location: 'app/package-lock.json',
    });
  const match = (name: string, version: string) =>
    matchInventory(inventory([npm(name, version)]), db).findings.map(
      (f) => `${f.records[0]}:${f.fixedVersion ?? '-'}`,
    );

  it('treats last_affected as inclusive and keeps the gap between pairs unaffected', () => {
    assert.deepEqual(match('jquery', '1.11.3'), ['NSWG-ECO-328:3.0.0']);
    assert.deepEqual(match('jquery', '1.12.0'), []);
    assert.deepEqual(match('jquery', '1.12.3'), ['NSWG-ECO-328:3.0.0']);
    assert.deepEqual(match('jquery', '3.0.0'), []);
  });

  it('orders prereleases by SemVer', () => {
    assert.deepEqual(match('jquery', '3.0.0-rc.1').sort(), ['NSWG-ECO-328:3.0.0', 'NSWG-ECO-330:3.0.0']);
    // beta < rc.1: only the wide jquery range applies
    assert.deepEqual(match('jquery', '3.0.0-beta.1'), ['NSWG-ECO-328:3.0.0']);
    assert.deepEqual(match('electron', '3.0.0-beta.6'), ['NSWG-ECO-466:3.0.0-beta.7']);
    assert.deepEqual(match('electron', '3.0.0-beta.7'), []);
    // fixes below the installed version do not count
    assert.deepEqual(match('electron', '2.0.7'), ['NSWG-ECO-466:2.0.8']);
    // `fixed: 3.11.0-0` closes before every 3.11.0 prerelease
    assert.deepEqual(match('express', '3.10.5'), ['NSWG-ECO-8:3.11.0-0']);
    assert.deepEqual(match('express', '3.11.0'), []);
  });

  it('takes severity from the CVSS vector before the GHSA label', () => {
    const [f] = matchInventory(inventory([npm('lodash', '4.17.20')]), db).findings;
    assert.equal(f!.id, 'CVE-2021-23337');
    assert.equal(f!.severity, 'HIGH');
    assert.deepEqual(f!.severitySource, { source: 'ghsa', record: 'GHSA-35jh-r3h4-6jhm', type: 'CVSS_V3.1' });
    assert.equal(f!.cvss?.score, 7.2);
  });
});

describe('PyPI (versions list, ECOSYSTEM ranges, withdrawn, name normalisation)', () => {
  const py = (name: string, version: string) =>
    pkg({
      name,
      version,
      ecosystem: 'PyPI',
      purl: `pkg:pypi/${name}@${version}`,
      location: 'usr/lib/python3/site-packages',
    });

  it('merges two PYSEC records sharing one CVE under that CVE', () => {
    const r = matchInventory(inventory([py('Distributed', '2021.9.1')]), db);
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.equal(f.id, 'CVE-2021-42343');
    assert.deepEqual(f.records, ['PYSEC-2021-871', 'PYSEC-2021-872']);
    assert.deepEqual(f.aliases, [
      'GHSA-hwqr-f3v9-hwxr',
      'GHSA-j8fq-86c5-5v2r',
      'PYSEC-2021-871',
      'PYSEC-2021-872',
    ]);
    assert.equal(f.fixedVersion, '2021.10.0');
    assert.equal(matchInventory(inventory([py('distributed', '2021.10.0')]), db).findings.length, 0);
  });

  it('matches the versions list on its own, comparing PEP 440 equal versions', () => {
    const rec = structuredClone(records.get('PYSEC-2021-871')!);
    for (const a of rec.affected ?? []) delete a.ranges;
    const only = memoryDb([rec]);
    assert.equal(matchInventory(inventory([py('distributed', '1.10.0')]), only).findings.length, 1);
    assert.equal(matchInventory(inventory([py('distributed', '1.10')]), only).findings.length, 1);
    // not listed: no fix info either, since the list alone names no fix
    assert.equal(matchInventory(inventory([py('distributed', '2021.10.0')]), only).findings.length, 0);
  });

  it('ignores a withdrawn record', () => {
    assert.equal(matchInventory(inventory([py('flask-caching', '1.10.1')]), db).findings.length, 0);
  });
});

describe('Maven (Log4Shell)', () => {
  const mvn = (version: string) =>
    pkg({
      name: 'org.apache.logging.log4j:log4j-core',
      version,
      ecosystem: 'Maven',
      purl: `pkg:maven/org.apache.logging.log4j/log4j-core@${version}`,
      location: 'app/lib/log4j-core.jar',
    });

  it('picks the fix of the range the version is in', () => {
    const fix = (v: string) => matchInventory(inventory([mvn(v)]), db).findings.map((f) => f.fixedVersion);
    assert.deepEqual(fix('2.14.1'), ['2.15.0']);
    assert.deepEqual(fix('2.12.1'), ['2.12.2']);
    assert.deepEqual(fix('2.3'), ['2.3.1']);
    assert.deepEqual(fix('2.12.2'), []);
    assert.deepEqual(fix('2.15.0'), []);
  });

  it('is CRITICAL from its CVSS 3.1 vector and carries KEV and EPSS from the database', () => {
    const withExploit = memoryDb(records.values(), {
      kev: [{ cveID: 'CVE-2021-44228', dateAdded: '2021-12-10', dueDate: '2021-12-24' }],
      epss: [{ cve: 'CVE-2021-44228', epss: 0.97, percentile: 0.99 }],
    });
    const [plain] = matchInventory(inventory([mvn('2.14.1')]), db).findings;
    const [hot] = matchInventory(inventory([mvn('2.14.1')]), withExploit).findings;
    assert.equal(hot!.id, 'CVE-2021-44228');
    assert.equal(hot!.severity, 'CRITICAL');
    assert.equal(hot!.cvss?.score, 10);
    assert.equal(hot!.kev?.dateAdded, '2021-12-10');
    assert.equal(hot!.epss?.epss, 0.97);
    // 55 * 1.0 + 25 * 0.97 + 15 + 5
    assert.equal(hot!.risk, 99.3);
    assert.equal(plain!.risk, 60);
  });
});

describe('ordering', () => {
  it('sorts by severity, then package, then id, whatever the inventory order', () => {
    const inv = inventory(
      [
        pkg({ name: 'jquery', version: '1.12.3', ecosystem: 'npm' }),
        pkg({ name: 'stdlib', version: '1.23.11', ecosystem: 'Go' }),
        pkg({ name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', ecosystem: 'Maven' }),
        pkg({ name: 'lodash', version: '4.17.20', ecosystem: 'npm' }),
      ],
      undefined,
    );
    const a = matchInventory(inv, db).findings.map((f) => `${f.severity} ${f.package.name} ${f.id}`);
    const b = matchInventory({ ...inv, packages: [...inv.packages].reverse() }, db).findings.map(
      (f) => `${f.severity} ${f.package.name} ${f.id}`,
    );
    assert.deepEqual(a, b);
    assert.deepEqual(a, [
      'CRITICAL org.apache.logging.log4j:log4j-core CVE-2021-44228',
      'HIGH jquery NSWG-ECO-328',
      'HIGH lodash CVE-2021-23337',
      'UNKNOWN stdlib CVE-2025-47906',
      'UNKNOWN stdlib CVE-2025-47907',
    ]);
  });
});

describe('degrading per package', () => {
  it('reports an unparsable installed version once per package and matches nothing for it', () => {
    // both buster qemu advisories hold this package; the warning is not repeated per record
    const r = matchInventory(
      inventory([deb('qemu-utils', '1:3.1+dfsg-8+deb10u8', 'qemu', 'not/a version')], buster),
      db,
    );
    assert.deepEqual(r.findings, []);
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.input]),
      [['INVALID_VERSION', 'qemu-utils 1:3.1+dfsg-8+deb10u8 (var/lib/dpkg/status)']],
    );
  });
});

describe('risk order', () => {
  it('puts exploited vulnerabilities first with sort: risk', () => {
    const exploited = memoryDb(records.values(), {
      epss: [{ cve: 'CVE-2025-47907', epss: 0.9, percentile: 0.99 }],
      kev: [{ cveID: 'CVE-2025-47907', dateAdded: '2025-09-01' }],
    });
    const inv = inventory([
      pkg({ name: 'lodash', version: '4.17.20', ecosystem: 'npm' }),
      pkg({ name: 'stdlib', version: '1.23.11', ecosystem: 'Go' }),
    ]);
    const bySeverity = matchInventory(inv, exploited).findings.map((f) => f.id);
    const byRisk = matchInventory(inv, exploited, { sort: 'risk' }).findings.map((f) => `${f.id} ${f.risk}`);
    assert.deepEqual(bySeverity, ['CVE-2021-23337', 'CVE-2025-47906', 'CVE-2025-47907']);
    // UNKNOWN but in KEV with EPSS 0.9: 27.5 + 22.5 + 15 + 5 = 70 beats HIGH 7.2 with a fix: 39.6 + 5
    assert.deepEqual(byRisk, ['CVE-2025-47907 70', 'CVE-2021-23337 44.6', 'CVE-2025-47906 32.5']);
  });
});
