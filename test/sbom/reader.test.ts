import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isBulwarkError } from '../../src/core/errors.js';
import type { Package } from '../../src/core/types.js';
import { packageFromPurl, parseSbom, readSbomFile, renderSpdxSbom } from '../../src/sbom/index.js';
import { renderCycloneDxSbom } from '../../src/sbom/cyclonedx.js';
import { FIXTURES, sampleInventory, TIMESTAMP } from './sample.js';

const byName = (pkgs: Package[], name: string) => pkgs.find((p) => p.name === name);

async function rejectsWith(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  await assert.rejects(
    async () => (typeof p === 'function' ? p() : p),
    (e: unknown) => isBulwarkError(e) && e.code === code && !!e.input,
  );
}

describe('SBOM reader: documents written by other tools', () => {
  it('reads a Trivy CycloneDX 1.5 image SBOM: OS from the operating-system component, ecosystems from purls', async () => {
    const inv = await readSbomFile(path.join(FIXTURES, 'trivy-cyclonedx-1.5.json'));
    assert.equal(inv.target.kind, 'sbom');
    assert.deepEqual(
      [inv.os?.family, inv.os?.version, inv.os?.ecosystem],
      ['alpine', '3.16.0', 'Alpine:v3.16'],
    );
    assert.deepEqual(inv.packages.map((p) => `${p.ecosystem} ${p.name} ${p.version}`).sort(), [
      'Alpine musl 1.2.3-r0',
      'Go github.com/package-url/packageurl-go v0.1.1-0.20220203205134-d70459300c8a',
      'Maven org.codehaus.mojo:child-project 1.0',
      'Packagist pear/log 1.13.1',
      'Packagist pear/pear_exception v1.0.0',
      'npm bootstrap 5.0.2',
    ]);
    const musl = byName(inv.packages, 'musl')!;
    assert.equal(musl.type, 'os');
    assert.equal(
      musl.layer?.diffId,
      'sha256:dd565ff850e7003356e2b252758f9bdc1ff2803f61e995e24c7844f6297f8fc3',
    );
    const bootstrap = byName(inv.packages, 'bootstrap')!;
    assert.equal(bootstrap.location, 'app/app/package.json');
    assert.deepEqual(bootstrap.licenses, ['MIT']);
    assert.deepEqual(inv.warnings, [], 'purl-less application components are file groupings, not packages');
  });

  it('reads a Syft CycloneDX 1.4 document (Go module, location from syft:location)', async () => {
    const inv = await readSbomFile(path.join(FIXTURES, 'syft-go-mod-cyclonedx-1.4.json'));
    assert.equal(inv.packages.length, 1);
    const p = inv.packages[0]!;
    assert.deepEqual(
      [p.ecosystem, p.name, p.version, p.location, p.type],
      ['Go', 'github.com/wagoodman/go-partybus', 'v0.0.0-20230516145632-8ccac152c651', 'go.mod', 'lang'],
    );
    assert.equal(inv.os, undefined);
  });

  it('reads a Syft SPDX 2.3 document: skips the described image and an invalid purl with a warning', async () => {
    const file = path.join(FIXTURES, 'syft-image-spdx-2.3.json');
    const inv = await readSbomFile(file);
    assert.deepEqual(
      inv.packages.map((p) => [p.ecosystem, p.name, p.version, p.type]),
      [['Debian', 'package-2', '2.0.1', 'os']],
    );
    assert.deepEqual(
      inv.warnings.map((w) => [w.code, w.input]),
      [['SBOM_UNSUPPORTED_PURL', file]],
    );
  });

  it('reads a Syft SPDX 2.2 document whose packages have no purl: nothing to match, one warning each', async () => {
    const inv = await readSbomFile(path.join(FIXTURES, 'syft-required-spdx-2.2.json'));
    assert.equal(inv.packages.length, 0);
    assert.deepEqual(
      inv.warnings.map((w) => w.code),
      ['SBOM_NO_PURL', 'SBOM_NO_PURL'],
    );
  });
});

describe('SBOM reader: bulwark documents read back', () => {
  for (const [label, render] of [
    ['CycloneDX', renderCycloneDxSbom],
    ['SPDX', renderSpdxSbom],
  ] as const) {
    it(`${label}: every package comes back with ecosystem, source, location and layer`, () => {
      const original = sampleInventory();
      const inv = parseSbom(render(original, { toolVersion: '0.1.0', timestamp: TIMESTAMP }), 'doc.json');
      assert.equal(inv.os?.ecosystem, 'Debian:12');
      const key = (p: Package) =>
        JSON.stringify([
          p.ecosystem,
          p.name,
          p.version,
          p.type,
          p.sourceName ?? null,
          p.location,
          p.layer?.diffId ?? null,
          p.layer?.digest ?? null,
          p.layer?.createdBy ?? null,
        ]);
      assert.deepEqual(inv.packages.map(key).sort(), original.packages.map(key).sort());
      assert.deepEqual(inv.warnings, []);
    });
  }
});

describe('purl -> package', () => {
  const table: [string, string, string, string, string?][] = [
    [
      'pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12&upstream=glibc',
      'Debian',
      'libc6',
      '2.36-9',
      'Debian:12',
    ],
    [
      'pkg:deb/ubuntu/bash@5.1-6ubuntu1?distro=ubuntu-22.04',
      'Ubuntu',
      'bash',
      '5.1-6ubuntu1',
      'Ubuntu:22.04',
    ],
    [
      'pkg:apk/alpine/busybox@1.36.1-r5?distro=alpine-3.19.1',
      'Alpine',
      'busybox',
      '1.36.1-r5',
      'Alpine:v3.19',
    ],
    ['pkg:apk/wolfi/glibc@2.38-r1', 'Wolfi', 'glibc', '2.38-r1'],
    [
      'pkg:rpm/redhat/openssl-libs@3.0.7-16.el9?epoch=1&distro=rhel-9.2',
      'Red Hat',
      'openssl-libs',
      '1:3.0.7-16.el9',
      'Red Hat:9',
    ],
    [
      'pkg:rpm/rocky/bash@5.1.8-6.el9?distro=rocky-9.3',
      'Rocky Linux',
      'bash',
      '5.1.8-6.el9',
      'Rocky Linux:9',
    ],
    ['pkg:npm/%40babel/core@7.22.0', 'npm', '@babel/core', '7.22.0'],
    ['pkg:pypi/requests@2.31.0', 'PyPI', 'requests', '2.31.0'],
    [
      'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
      'Maven',
      'org.apache.logging.log4j:log4j-core',
      '2.14.1',
    ],
    ['pkg:golang/golang.org/x/net@v0.17.0', 'Go', 'golang.org/x/net', 'v0.17.0'],
    ['pkg:gem/rack@2.2.8', 'RubyGems', 'rack', '2.2.8'],
    ['pkg:cargo/serde@1.0.188', 'crates.io', 'serde', '1.0.188'],
    ['pkg:composer/symfony/http-kernel@v6.3.0', 'Packagist', 'symfony/http-kernel', 'v6.3.0'],
    ['pkg:nuget/Newtonsoft.Json@13.0.1', 'NuGet', 'Newtonsoft.Json', '13.0.1'],
  ];
  for (const [purl, eco, name, version, osEco] of table) {
    it(`${purl} -> ${eco} ${name}`, () => {
      const r = packageFromPurl(purl);
      assert.ok(typeof r !== 'string', String(r));
      assert.deepEqual([r.pkg.ecosystem, r.pkg.name, r.pkg.version, r.pkg.purl], [eco, name, version, purl]);
      assert.equal(r.os?.ecosystem, osEco);
    });
  }

  it('keeps source packages from the upstream qualifier (deb name@version, rpm source rpm file)', () => {
    const deb = packageFromPurl(
      'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?upstream=openssl%403.0.11-1~deb12u2',
    );
    assert.ok(typeof deb !== 'string');
    assert.equal(deb.pkg.sourceName, 'openssl');
    assert.equal(deb.pkg.sourceVersion, undefined, 'same as the binary version');
    const rpm = packageFromPurl(
      'pkg:rpm/redhat/openssl-libs@3.0.7-16.el9?upstream=openssl-3.0.7-16.el9.src.rpm',
    );
    assert.ok(typeof rpm !== 'string');
    assert.equal(rpm.pkg.sourceName, 'openssl');
  });

  it('explains why a purl cannot be matched', () => {
    assert.equal(typeof packageFromPurl('a-purl-1'), 'string');
    assert.equal(typeof packageFromPurl('pkg:github/actions/checkout@v4'), 'string');
    assert.equal(typeof packageFromPurl('pkg:deb/someos/x@1'), 'string');
    assert.equal(typeof packageFromPurl('pkg:maven/log4j-core@2.14.1'), 'string', 'Maven needs a group');
    assert.equal(typeof packageFromPurl('pkg:npm/left-pad'), 'string', 'no version');
  });
});

describe('SBOM reader: bad documents', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bw-sbom-bad-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, text: string) => {
    const f = path.join(dir, name);
    await writeFile(f, text);
    return f;
  };

  it('rejects what is not JSON, not an SBOM or an unsupported spec version as MALFORMED_INPUT naming the file', async () => {
    await rejectsWith(readSbomFile(await write('a.json', '{"bomFormat": "CycloneDX", ')), 'MALFORMED_INPUT');
    await rejectsWith(readSbomFile(await write('b.json', '[1, 2, 3]')), 'MALFORMED_INPUT');
    await rejectsWith(readSbomFile(await write('c.json', '{"name": "not an sbom"}')), 'MALFORMED_INPUT');
    await rejectsWith(
      readSbomFile(
        await write('d.json', '{"bomFormat": "CycloneDX", "specVersion": "1.2", "components": []}'),
      ),
      'MALFORMED_INPUT',
    );
    await rejectsWith(readSbomFile(await write('e.json', '{"spdxVersion": "SPDX-3.0"}')), 'MALFORMED_INPUT');
    await assert.rejects(
      readSbomFile(path.join(dir, 'a.json')),
      (e: unknown) => isBulwarkError(e) && e.input === path.join(dir, 'a.json'),
    );
  });

  it('refuses a document above the size bound before reading it, and a missing file', async () => {
    const f = await write(
      'big.json',
      JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', components: [], pad: 'x'.repeat(4096) }),
    );
    await rejectsWith(readSbomFile(f, { maxBytes: 1024 }), 'LIMIT_EXCEEDED');
    await rejectsWith(readSbomFile(path.join(dir, 'nope.json')), 'INPUT_NOT_FOUND');
  });

  it('bounds warnings and nesting for hostile documents', () => {
    const components = Array.from({ length: 500 }, (_, i) => ({ type: 'library', name: `c${i}\u001b[2J` }));
    // built as text: JSON.stringify itself cannot nest this deep
    const depth = 10_000;
    const nested =
      '{"type":"library","name":"n","components":['.repeat(depth) +
      '{"type":"library","name":"deep","purl":"pkg:npm/deep@1.0.0"}' +
      ']}'.repeat(depth);
    const inv = parseSbom(
      `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[${components.map((c) => JSON.stringify(c)).join(',')},${nested}]}`,
      'hostile.json',
    );
    assert.equal(inv.warnings.length, 101, '100 warnings and one saying how many more were dropped');
    assert.equal(inv.warnings.at(-1)?.code, 'SBOM_WARNINGS_TRUNCATED');
    assert.ok(
      inv.warnings.every((w) => !w.message.includes('\u001b')),
      'no terminal escapes from the document reach the warnings',
    );
    assert.ok(
      !inv.packages.some((p) => p.name === 'deep'),
      'components nested beyond the depth bound are ignored',
    );
  });
});
