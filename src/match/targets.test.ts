import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Inventory, OsInfo, Package } from '../core/types.js';
import type { OsvRecord, VulnDb } from '../vulndb/types.js';
import { matchInventory } from './match.js';
import { osEcosystems } from './targets.js';

// Ubuntu and Red Hat feeds are not in the offline mirror; these records follow their published shapes.
function db(records: OsvRecord[]): VulnDb {
  return {
    lookup: (eco, name) =>
      records.filter((r) => r.affected?.some((a) => a.package?.ecosystem === eco && a.package.name === name)),
    ecosystems: () =>
      [...new Set(records.flatMap((r) => (r.affected ?? []).map((a) => a.package!.ecosystem)))].sort(),
    kev: () => undefined,
    epss: () => undefined,
    metadata: () => ({ schemaVersion: 1, builtAt: '2026-01-01T00:00:00Z', sources: [] }),
    close() {},
  };
}

function inv(os: OsInfo, packages: Package[]): Inventory {
  return { target: { kind: 'rootfs', name: 'x' }, os, packages, warnings: [] };
}

const osPkg = (p: Partial<Package> & Pick<Package, 'name' | 'version' | 'ecosystem'>): Package => ({
  type: 'os',
  purl: `pkg:generic/${p.name}`,
  location: 'var/lib/x',
  ...p,
});

describe('OS ecosystem resolution', () => {
  it('treats Ubuntu:22.04 and Ubuntu:22.04:LTS as one release and leaves Ubuntu Pro out', () => {
    const os: OsInfo = { family: 'ubuntu', name: 'Ubuntu', version: '22.04', ecosystem: 'Ubuntu:22.04' };
    assert.deepEqual(osEcosystems(os, ['Ubuntu:20.04:LTS', 'Ubuntu:22.04:LTS', 'Ubuntu:Pro:22.04:LTS']), [
      'Ubuntu:22.04',
      'Ubuntu:22.04:LTS',
    ]);
    const lts: OsInfo = { ...os, ecosystem: 'Ubuntu:22.04:LTS' };
    assert.deepEqual(osEcosystems(lts, ['Ubuntu:22.04']), ['Ubuntu:22.04', 'Ubuntu:22.04:LTS']);
  });

  it("finds the Red Hat release in the feed's long ecosystem names", () => {
    const os: OsInfo = {
      family: 'rhel',
      name: 'Red Hat Enterprise Linux',
      version: '9.3',
      ecosystem: 'Red Hat:9',
    };
    assert.deepEqual(
      osEcosystems(os, [
        'Red Hat:enterprise_linux:8::appstream',
        'Red Hat:enterprise_linux:9::appstream',
        'Red Hat:rhel_eus:9.2::baseos',
      ]),
      ['Red Hat:9', 'Red Hat:enterprise_linux:9::appstream', 'Red Hat:rhel_eus:9.2::baseos'],
    );
  });

  it('matches an Ubuntu source package recorded under the :LTS ecosystem', () => {
    const rec: OsvRecord = {
      id: 'UBUNTU-CVE-2024-0001',
      aliases: ['CVE-2024-0001'],
      affected: [
        {
          package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'openssl' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.2-0ubuntu1.15' }] }],
        },
      ],
    };
    const os: OsInfo = { family: 'ubuntu', name: 'Ubuntu', version: '22.04', ecosystem: 'Ubuntu:22.04' };
    const r = matchInventory(
      inv(os, [
        osPkg({ name: 'libssl3', version: '3.0.2-0ubuntu1.14', ecosystem: 'Ubuntu', sourceName: 'openssl' }),
      ]),
      db([rec]),
    );
    assert.deepEqual(
      r.findings.map((f) => [f.id, f.fixedVersion, f.matched.ecosystem]),
      [['CVE-2024-0001', '3.0.2-0ubuntu1.15', 'Ubuntu:22.04:LTS']],
    );
  });

  it('matches rpm feeds by source rpm when the entry says arch=source, else by binary name', () => {
    const bySource: OsvRecord = {
      id: 'RLSA-2024:0001',
      affected: [
        {
          package: {
            ecosystem: 'Rocky Linux:9',
            name: 'openssl',
            purl: 'pkg:rpm/rocky-linux/openssl?arch=source',
          },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-25.el9' }] }],
        },
      ],
    };
    const byBinary: OsvRecord = {
      id: 'RLSA-2024:0002',
      affected: [
        {
          package: { ecosystem: 'Rocky Linux:9', name: 'openssl-libs' },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:3.0.7-26.el9' }] }],
        },
        {
          // a source-level entry for the binary's name must not match the binary
          package: {
            ecosystem: 'Rocky Linux:9',
            name: 'openssl-libs',
            purl: 'pkg:rpm/rocky-linux/openssl-libs?arch=source',
          },
          ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:9.9.9-1.el9' }] }],
        },
      ],
    };
    const os: OsInfo = { family: 'rocky', name: 'Rocky Linux', version: '9.3', ecosystem: 'Rocky Linux:9' };
    const r = matchInventory(
      inv(os, [
        osPkg({
          name: 'openssl-libs',
          version: '1:3.0.7-24.el9',
          ecosystem: 'Rocky Linux',
          sourceName: 'openssl',
        }),
      ]),
      db([bySource, byBinary]),
    );
    assert.deepEqual(
      r.findings.map((f) => [f.id, f.matched.name, f.fixedVersion]),
      [
        ['RLSA-2024:0001', 'openssl', '1:3.0.7-25.el9'],
        ['RLSA-2024:0002', 'openssl-libs', '1:3.0.7-26.el9'],
      ],
    );
  });
});
