import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openInputPath, openOciLayout, scanImageInventory } from '../../src/image/index.js';
import { defaultAnalyzers, finalizeOsPackage, mergeOsFacts, osEcosystem } from '../../src/inventory/index.js';
import { buildLayer, tmpDir, writeOciLayout } from './helpers.js';

/** The walker and merge with the real OS analyzers, checked against dpkg-query on the same data. */
let dir: string;
before(async () => {
  dir = await tmpDir();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const EXTRA = `
Package: bulwark-probe
Status: install ok installed
Priority: optional
Section: misc
Installed-Size: 1
Maintainer: bulwark tests <tests@example.invalid>
Architecture: all
Source: bulwark-probe-src (0.9-1)
Version: 1:1.0-1
Description: a package added by the second layer
`;

function dpkgQuery(status: string, admin: string): string[] {
  execFileSync('mkdir', ['-p', path.join(admin, 'info'), path.join(admin, 'updates')]);
  execFileSync('cp', [status, path.join(admin, 'status')]);
  return execFileSync(
    'dpkg-query',
    [`--admindir=${admin}`, '-W', '-f=${Package}\t${Version}\t${Architecture}\n'],
    {
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean)
    .sort();
}

describe('image scan with the real analyzers', () => {
  it('lists the same dpkg packages as dpkg-query, attributed to the layer that introduced each', async () => {
    const base = await readFile('/var/lib/dpkg/status', 'utf8');
    const upper = `${base.trimEnd()}\n${EXTRA}`;
    const l0 = await buildLayer([
      { name: 'etc/os-release', content: await readFile('/etc/os-release') },
      { name: 'var/lib/dpkg/status', content: base },
    ]);
    const l1 = await buildLayer([{ name: 'var/lib/dpkg/status', content: upper }], 'zstd');
    const layout = path.join(dir, 'real');
    await writeOciLayout(layout, [{ layers: [l0, l1] }]);
    const statusFile = path.join(dir, 'status-upper');
    await writeFile(statusFile, upper);
    const expected = dpkgQuery(statusFile, path.join(dir, 'admin'));

    const source = await openOciLayout(layout);
    const inv = await scanImageInventory(source, {
      analyzers: await defaultAnalyzers(),
      osEcosystem,
      mergeOs: mergeOsFacts,
      finalizePackage: finalizeOsPackage,
    });
    await source.close();
    const got = inv.packages
      .filter((p) => p.type === 'os')
      .map((p) => `${p.name}\t${p.version}\t${p.arch ?? ''}`)
      .sort();
    assert.deepEqual(got, expected);
    assert.ok(expected.length > 100);
    assert.equal(inv.os?.family, 'debian');
    assert.match(inv.os?.ecosystem ?? '', /^Debian:\d+$/);
    const probe = inv.packages.find((p) => p.name === 'bulwark-probe')!;
    assert.equal(probe.layer?.index, 1);
    assert.equal(probe.layer?.createdBy, 'step 1');
    assert.equal(probe.sourceName, 'bulwark-probe-src');
    assert.equal(probe.ecosystem, 'Debian');
    assert.match(probe.purl, /^pkg:deb\/debian\/bulwark-probe@/);
    const others = inv.packages.filter((p) => p.type === 'os' && p.name !== 'bulwark-probe');
    assert.ok(others.every((p) => p.layer?.index === 0 && p.layer.digest === l0.digest));
  });

  it('scans the bundled demo image: Debian 11, packages attributed to their history steps', async () => {
    const source = await openInputPath('data/demo/demo-image.oci.tar');
    const inv = await scanImageInventory(source, {
      analyzers: await defaultAnalyzers(),
      osEcosystem,
      mergeOs: mergeOsFacts,
      finalizePackage: finalizeOsPackage,
    });
    await source.close();
    assert.equal(inv.os?.ecosystem, 'Debian:11');
    const curl = inv.packages.find((p) => p.name === 'curl')!;
    assert.match(curl.layer?.createdBy ?? '', /apt-get install .*curl/);
    const lodash = inv.packages.find((p) => p.name === 'lodash')!;
    assert.equal(lodash.ecosystem, 'npm');
    assert.match(lodash.layer?.createdBy ?? '', /COPY/);
    const base = inv.packages.find((p) => p.name === 'dpkg')!;
    assert.equal(base.layer?.index, 0);
  });
});
