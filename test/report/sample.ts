import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import type { Inventory, LayerInfo, Package } from '../../src/core/types.js';
import { applyPolicy, matchInventory, parseIgnoreFile } from '../../src/match/index.js';
import { buildScanReport, type ScanReport } from '../../src/report/index.js';
import { FIXED_METADATA, loadFixtureRecords, memoryDb } from '../match/helpers.js';

export const GOLDEN_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

const base: LayerInfo = {
  index: 0,
  digest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  diffId: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  createdBy: '/bin/sh -c #(nop) ADD file:buster-rootfs.tar.xz in / ',
};
const app: LayerInfo = {
  index: 1,
  digest: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
  diffId: 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  createdBy: 'COPY app/ /app/ # buildkit',
};

function p(x: Omit<Package, 'type'> & { type?: Package['type'] }): Package {
  return { type: 'lang', ...x };
}

/** An image inventory as the inventory stage produces it: OS and language packages, with layers. */
export function sampleInventory(): Inventory {
  return {
    target: {
      kind: 'image',
      name: 'registry.test/shop/api:1.4.2',
      digest: 'sha256:3333333333333333333333333333333333333333333333333333333333333333',
      imageId: 'sha256:4444444444444444444444444444444444444444444444444444444444444444',
      platform: 'linux/amd64',
      layers: [base, app],
      repoTags: ['registry.test/shop/api:1.4.2'],
      config: { env: ['SECRET_TOKEN=do-not-print'], user: 'app' },
    },
    os: {
      family: 'debian',
      name: 'Debian GNU/Linux',
      version: '10',
      codename: 'buster',
      ecosystem: 'Debian:10',
    },
    packages: [
      p({
        name: 'libssl1.1',
        version: '1.1.1n-0+deb10u3',
        ecosystem: 'Debian',
        type: 'os',
        purl: 'pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb10u3?arch=amd64&distro=debian-10',
        sourceName: 'openssl',
        arch: 'amd64',
        location: 'var/lib/dpkg/status',
        layer: base,
      }),
      p({
        name: 'bash',
        version: '5.0-4',
        ecosystem: 'Debian',
        type: 'os',
        purl: 'pkg:deb/debian/bash@5.0-4?arch=amd64&distro=debian-10',
        licenses: ['GPL-3.0-or-later'],
        location: 'var/lib/dpkg/status',
        layer: base,
      }),
      p({
        name: 'lodash',
        version: '4.17.20',
        ecosystem: 'npm',
        purl: 'pkg:npm/lodash@4.17.20',
        licenses: ['MIT'],
        location: 'app/package-lock.json',
        layer: app,
      }),
      p({
        name: 'org.apache.logging.log4j:log4j-core',
        version: '2.14.1',
        ecosystem: 'Maven',
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
        location: 'app/lib/log4j-core-2.14.1.jar',
        layer: app,
      }),
      p({
        name: 'stdlib',
        version: '1.23.11',
        ecosystem: 'Go',
        purl: 'pkg:golang/stdlib@1.23.11',
        location: 'app/bin/server',
        layer: app,
      }),
    ],
    warnings: [
      { code: 'MALFORMED_INPUT', message: 'skipped a truncated package.json', input: 'app/x/package.json' },
    ],
  };
}

export const CREATED_AT = '2026-11-22T12:00:00.000Z';

/** A full scan of the sample inventory against the real fixture records, with one ignore entry. */
export function sampleReport(inv: Inventory = sampleInventory()): ScanReport {
  const db = memoryDb(loadFixtureRecords().values(), {
    kev: [
      {
        cveID: 'CVE-2021-44228',
        dateAdded: '2021-12-10',
        dueDate: '2021-12-24',
        knownRansomwareCampaignUse: 'Known',
      },
    ],
    epss: [{ cve: 'CVE-2021-44228', epss: 0.97, percentile: 0.99 }],
  });
  const match = matchInventory(inv, db);
  const policy = applyPolicy(match.findings, {
    ignore: parseIgnoreFile(
      '- id: GO-2025-3956\n  reason: os/exec LookPath is not reachable\n',
      '.bulwarkignore.yaml',
    ),
    now: new Date(CREATED_AT),
  });
  return buildScanReport({
    inventory: inv,
    match,
    policy,
    db: FIXED_METADATA,
    toolVersion: '0.1.0',
    createdAt: CREATED_AT,
  });
}

/** Compares with the golden file; BULWARK_UPDATE_GOLDEN=1 rewrites it instead. */
export function assertGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.BULWARK_UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden file ${name} differs`);
}
