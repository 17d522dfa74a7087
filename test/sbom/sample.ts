import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import type { Inventory, LayerInfo, Package } from '../../src/core/types.js';

export const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures', 'sbom');
const GOLDEN_DIR = path.join(import.meta.dirname, 'golden');
export const TIMESTAMP = '2026-11-22T12:00:00.000Z';

export function assertGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.BULWARK_UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `golden file ${name} differs`);
}

const base: LayerInfo = {
  index: 0,
  digest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
  diffId: 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  createdBy: 'ADD rootfs.tar /',
};
const app: LayerInfo = {
  index: 1,
  digest: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
  diffId: 'sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  createdBy: 'COPY . /app',
};

type Pkg = Package & { dependsOn?: string[] };

/** An image inventory with OS and npm packages, a dependency graph and every kind of licence string. */
export function sampleInventory(): Inventory {
  const packages: Pkg[] = [
    {
      name: 'libssl3',
      version: '3.0.11-1~deb12u2',
      ecosystem: 'Debian',
      type: 'os',
      purl: 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64',
      sourceName: 'openssl',
      arch: 'amd64',
      licenses: ['Apache-2.0'],
      location: 'var/lib/dpkg/status',
      layer: base,
    },
    {
      name: 'zlib1g',
      version: '1:1.2.13.dfsg-1',
      ecosystem: 'Debian',
      type: 'os',
      purl: 'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64',
      sourceName: 'zlib',
      arch: 'amd64',
      location: 'var/lib/dpkg/status',
      layer: base,
    },
    {
      name: 'express',
      version: '4.17.1',
      ecosystem: 'npm',
      type: 'lang',
      purl: 'pkg:npm/express@4.17.1',
      licenses: ['MIT'],
      location: 'app/node_modules/express/package.json',
      layer: app,
      dependsOn: ['pkg:npm/qs@6.7.0', 'pkg:npm/%40types/node@20.1.0', 'pkg:npm/missing@1.0.0'],
    },
    {
      name: 'qs',
      version: '6.7.0',
      ecosystem: 'npm',
      type: 'lang',
      purl: 'pkg:npm/qs@6.7.0',
      licenses: ['BSD-3-Clause OR MIT'],
      location: 'app/node_modules/qs/package.json',
      layer: app,
      dependsOn: [],
    },
    {
      name: '@types/node',
      version: '20.1.0',
      ecosystem: 'npm',
      type: 'lang',
      purl: 'pkg:npm/%40types/node@20.1.0',
      licenses: ['MIT', 'Custom: see LICENSE.txt'],
      location: 'app/node_modules/@types/node/package.json',
      layer: app,
      metadata: { dev: true },
    },
  ];
  return {
    target: {
      kind: 'image',
      name: 'registry.example/team/app:1.0',
      digest: 'sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc',
      imageId: 'sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd',
      platform: 'linux/amd64',
      layers: [base, app],
      repoTags: ['registry.example/team/app:1.0'],
    },
    os: {
      family: 'debian',
      name: 'Debian GNU/Linux',
      version: '12',
      codename: 'bookworm',
      ecosystem: 'Debian:12',
    },
    packages,
    warnings: [],
  };
}

/** The official SPDX 2.3 JSON schema (test/fixtures/schemas), compiled with ajv's draft 2019-09 support. */
export function spdxValidator(): (doc: unknown) => string | null {
  const schema = JSON.parse(
    readFileSync(
      path.resolve(import.meta.dirname, '..', 'fixtures', 'schemas', 'spdx-schema-2.3.json'),
      'utf8',
    ),
  ) as Record<string, unknown>;
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  return (doc) => (validate(doc) ? null : ajv.errorsText(validate.errors));
}
