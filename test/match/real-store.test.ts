import assert from 'node:assert/strict';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import type { OsInfo, Package } from '../../src/core/types.js';
import { normalizePackageName } from '../../src/ecosystems/index.js';
import { MATCH_DB_BUILD, matchInventory, type VulnFinding } from '../../src/match/index.js';
import { buildDbFromDirectory, openVulnDb, type OpenedVulnDb } from '../../src/vulndb/index.js';
import { inventory, loadFixtureRecords, memoryDb, OSV_DIR, pkg } from './helpers.js';

// The same fixture records, served through the real pipeline: an OSV bucket-layout mirror on disk,
// `buildDbFromDirectory` into SQLite, `openVulnDb` for lookups. The matcher must give the same
// findings as with the in-memory database, and KEV must come through the store.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-match-store-'));
let store: OpenedVulnDb;

async function writeMirror(dir: string): Promise<void> {
  const ecosystems = readdirSync(OSV_DIR, { withFileTypes: true }).filter((d) => d.isDirectory());
  writeFileSync(path.join(dir, 'ecosystems.txt'), `${ecosystems.map((d) => d.name).join('\n')}\n`);
  for (const eco of ecosystems) {
    mkdirSync(path.join(dir, eco.name));
    const zip = new yazl.ZipFile();
    for (const f of readdirSync(path.join(OSV_DIR, eco.name)).sort()) {
      zip.addBuffer(readFileSync(path.join(OSV_DIR, eco.name, f)), f, { mtime: new Date(0) });
    }
    zip.end();
    await finished(zip.outputStream.pipe(createWriteStream(path.join(dir, eco.name, 'all.zip'))));
  }
  mkdirSync(path.join(dir, 'kev'));
  writeFileSync(
    path.join(dir, 'kev', 'known_exploited_vulnerabilities.json'),
    JSON.stringify({
      title: 'CISA Catalog of Known Exploited Vulnerabilities',
      catalogVersion: '2026.11.01',
      dateReleased: '2026-11-01T00:00:00.000Z',
      count: 1,
      vulnerabilities: [
        {
          cveID: 'CVE-2021-44228',
          vendorProject: 'Apache',
          product: 'Log4j2',
          vulnerabilityName: 'Apache Log4j2 Remote Code Execution Vulnerability',
          dateAdded: '2021-12-10',
          shortDescription:
            'Apache Log4j2 contains a vulnerability where JNDI features do not protect against attacker-controlled JNDI-related endpoints.',
          requiredAction: 'Apply updates per vendor instructions.',
          dueDate: '2021-12-24',
          knownRansomwareCampaignUse: 'Known',
          notes: '',
          cwes: ['CWE-20', 'CWE-400', 'CWE-502'],
        },
      ],
    }),
  );
}

before(async () => {
  const mirror = path.join(tmp, 'mirror');
  mkdirSync(mirror);
  await writeMirror(mirror);
  const dbPath = path.join(tmp, 'db', 'bulwark.db');
  await buildDbFromDirectory(mirror, dbPath, {
    ...MATCH_DB_BUILD,
    epss: false,
    now: () => new Date('2026-11-01T00:00:00Z'),
  });
  store = openVulnDb(dbPath, { normalizeName: normalizePackageName });
});

after(() => {
  store?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const buster: OsInfo = { family: 'debian', name: 'Debian GNU/Linux', version: '10', ecosystem: 'Debian:10' };
const packages: Package[] = [
  pkg({
    name: 'qemu-utils',
    version: '1:3.1+dfsg-8+deb10u8',
    ecosystem: 'Debian',
    type: 'os',
    sourceName: 'qemu',
  }),
  pkg({
    name: 'libssl1.1',
    version: '1.1.1n-0+deb10u3',
    ecosystem: 'Debian',
    type: 'os',
    sourceName: 'openssl',
  }),
  pkg({ name: 'thunderbird', version: '1:91.12.0-1~deb10u1', ecosystem: 'Debian', type: 'os' }),
  pkg({ name: 'jquery', version: '1.11.3', ecosystem: 'npm' }),
  pkg({ name: 'electron', version: '2.0.7', ecosystem: 'npm' }),
  pkg({ name: 'lodash', version: '4.17.20', ecosystem: 'npm' }),
  pkg({ name: 'Distributed', version: '2021.9.1', ecosystem: 'PyPI' }),
  pkg({ name: 'flask-caching', version: '1.10.1', ecosystem: 'PyPI' }),
  pkg({ name: 'stdlib', version: '1.23.11', ecosystem: 'Go' }),
  pkg({ name: 'github.com/opencontainers/runc', version: '1.1.0', ecosystem: 'Go' }),
  pkg({ name: 'org.apache.logging.log4j:log4j-core', version: '2.14.1', ecosystem: 'Maven' }),
];

function summary(fs: VulnFinding[]) {
  return fs.map((f) => [f.package.name, f.id, f.records.join('+'), f.fixedVersion ?? null, f.severity]);
}

describe('matcher on the real SQLite store', () => {
  it('finds exactly what the in-memory database finds', () => {
    const inv = inventory(packages, buster);
    const fromStore = matchInventory(inv, store);
    const fromMemory = matchInventory(inv, memoryDb(loadFixtureRecords().values()));
    assert.deepEqual(summary(fromStore.findings), summary(fromMemory.findings));
    assert.equal(fromStore.findings.length, 11);
    assert.deepEqual(fromStore.warnings, []);
  });

  it('finds the same through batch hints, per-name candidates and whole records', () => {
    const inv = inventory(packages, buster);
    const dbPath = store.path;
    const fresh = () => openVulnDb(dbPath, { normalizeName: normalizePackageName });
    const full = fresh();
    const noHints = fresh();
    const wholeRecords = fresh();
    try {
      const viaBatch = matchInventory(inv, full);
      const viaNames = matchInventory(inv, {
        ...noHints,
        prefetch: undefined,
        prefetchIds: undefined,
      });
      const viaLookup = matchInventory(inv, {
        ...wholeRecords,
        candidates: undefined,
        prefetch: undefined,
        prefetchIds: undefined,
      });
      assert.equal(viaBatch.findings.length, 11);
      assert.deepEqual(viaNames, viaBatch);
      assert.deepEqual(viaLookup, viaBatch);
    } finally {
      full.close();
      noHints.close();
      wholeRecords.close();
    }
  });

  it('attaches KEV entries read by the store', () => {
    const inv = inventory(packages, buster);
    const log4j = matchInventory(inv, store).findings.find((f) => f.id === 'CVE-2021-44228')!;
    assert.equal(log4j.kev?.dateAdded, '2021-12-10');
    assert.equal(log4j.kev?.knownRansomwareCampaignUse, 'Known');
  });
});

describe('related records in the real store', () => {
  it('rates a Debian advisory with the CVSS of another record for the same CVE', () => {
    const bullseye: OsInfo = {
      family: 'debian',
      name: 'Debian GNU/Linux',
      version: '11',
      ecosystem: 'Debian:11',
    };
    const inv = inventory(
      [
        pkg({
          name: 'liblog4j2-java',
          version: '2.13.3-1',
          ecosystem: 'Debian',
          type: 'os',
          sourceName: 'apache-log4j2',
        }),
      ],
      bullseye,
    );
    const f = matchInventory(inv, store).findings.find((x) => x.id === 'CVE-2021-44228')!;
    assert.deepEqual(f.records, ['DSA-5020-1'], 'the DSA matched; the GHSA only rates it');
    assert.equal(f.severity, 'CRITICAL');
    assert.equal(f.severitySource?.record, 'GHSA-jfh8-c2jp-5v3q');
    // related() answers with ratings only: the DSA aliases the CVE too but rates nothing
    const related = store.related(['CVE-2021-44228']);
    assert.deepEqual(
      related.map((r) => r.id),
      ['GHSA-jfh8-c2jp-5v3q'],
    );
    assert.ok(related[0]?.severity?.some((s) => s.type === 'CVSS_V3'));
    assert.equal(related[0]?.references, undefined, 'a rating, not the record');
  });
});
