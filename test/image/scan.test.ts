import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  mergeLayers,
  openOciLayout,
  scanImageInventory,
  resolveInImage,
  type LayerResult,
} from '../../src/image/index.js';
import type { Analyzer } from '../../src/inventory/index.js';
import {
  buildLayer,
  imageConfig,
  pkgJson,
  testAnalyzers,
  testOsEcosystem,
  tmpDir,
  writeOciLayout,
  type BuiltLayer,
} from './helpers.js';

let dir: string;
before(async () => {
  dir = await tmpDir();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scanLayers(name: string, layers: BuiltLayer[]) {
  const layout = path.join(dir, name);
  await writeOciLayout(layout, [{ layers }]);
  const source = await openOciLayout(layout);
  try {
    return await scanImageInventory(source, { analyzers: testAnalyzers, osEcosystem: testOsEcosystem });
  } finally {
    await source.close();
  }
}

describe('scanImageInventory merge semantics', () => {
  it('applies whiteouts, re-adds, opaque dirs and attributes packages to the lowest continuous layer', async () => {
    const l0 = await buildLayer([
      { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="11"\nNAME="Debian GNU/Linux"\n' },
      { name: 'var/lib/dpkg/status', content: 'libc6 2.31-13\nbash 5.1-2\n' },
      { name: 'app/node_modules/a/package.json', content: pkgJson('a', '1.0.0') },
      { name: 'app/node_modules/b/package.json', content: pkgJson('b', '1.0.0') },
      { name: 'opt/lib/node_modules/c/package.json', content: pkgJson('c', '1.0.0') },
    ]);
    // layer 1 removes a and all of opt/lib, installs curl (status rewritten), updates nothing else
    const l1 = await buildLayer(
      [
        { name: 'app/node_modules/a/.wh.package.json', content: '' },
        { name: 'opt/lib/.wh..wh..opq', content: '' },
        { name: 'var/lib/dpkg/status', content: 'libc6 2.31-13\nbash 5.1-2\ncurl 7.74.0-1.3\n' },
      ],
      'zstd',
    );
    // layer 2 brings a back (new version) and upgrades bash; layer 3 brings a's old version back
    const l2 = await buildLayer(
      [
        { name: 'app/node_modules/a/package.json', content: pkgJson('a', '2.0.0') },
        { name: 'var/lib/dpkg/status', content: 'libc6 2.31-13\nbash 5.1-2+deb11u1\ncurl 7.74.0-1.3\n' },
      ],
      'none',
    );
    const l3 = await buildLayer([{ name: 'app/node_modules/.wh.b', content: '' }]);
    const inv = await scanLayers('merge', [l0, l1, l2, l3]);
    assert.deepEqual(inv.os, {
      family: 'debian',
      name: 'Debian GNU/Linux',
      version: '11',
      ecosystem: 'Debian:11',
    });
    const got = inv.packages.map(
      (p) => `${p.ecosystem}/${p.name}@${p.version} L${p.layer?.index} ${p.layer?.createdBy}`,
    );
    assert.deepEqual(got, [
      'Debian/bash@5.1-2+deb11u1 L2 step 2',
      'Debian/curl@7.74.0-1.3 L1 step 1',
      'Debian/libc6@2.31-13 L0 step 0',
      'npm/a@2.0.0 L2 step 2',
    ]);
    const libc = inv.packages.find((p) => p.name === 'libc6')!;
    assert.equal(libc.location, 'var/lib/dpkg/status');
    assert.equal(libc.layer?.digest, l0.digest);
    assert.equal(libc.layer?.diffId, l0.diffId);
    assert.equal(inv.target.kind, 'image');
    assert.equal(inv.target.layers?.length, 4);
    assert.equal(inv.target.platform, 'linux/amd64');
  });

  it('a package removed and re-added is attributed to the layer that re-added it', async () => {
    const l0 = await buildLayer([{ name: 'srv/package.json', content: pkgJson('x', '1.0.0') }]);
    const l1 = await buildLayer([{ name: 'srv/.wh.package.json', content: '' }]);
    const l2 = await buildLayer([{ name: 'srv/package.json', content: pkgJson('x', '1.0.0') }]);
    const inv = await scanLayers('readd', [l0, l1, l2]);
    assert.deepEqual(
      inv.packages.map((p) => [p.name, p.layer?.index]),
      [['x', 2]],
    );
  });

  it('resolves symlinks inside the image only: ../../../.. stops at the image root', async () => {
    const l0 = await buildLayer([
      { name: 'usr/lib/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
      { name: 'etc/os-release', content: 'ID=ubuntu\nVERSION_ID="22.04"\n' },
    ]);
    // A later layer replaces etc/os-release with a link that tries to climb out of the image.
    const l1 = await buildLayer([
      { name: 'etc/os-release', type: 'symlink', linkname: '../../../../usr/lib/os-release' },
    ]);
    const inv = await scanLayers('escape', [l0, l1]);
    assert.equal(inv.os?.family, 'alpine');
    assert.equal(inv.os?.ecosystem, 'Alpine:3');
    // and to an absolute host path: resolved in the image, where it does not exist -> the other file wins
    const l2 = await buildLayer([{ name: 'etc/os-release', type: 'symlink', linkname: '/etc/passwd' }]);
    const inv2 = await scanLayers('escape2', [l0, l2]);
    assert.equal(inv2.os?.family, 'alpine');
  });

  it('follows a hard link at a required path to its target inside the image', async () => {
    const l0 = await buildLayer([
      { name: 'etc/os-release', content: 'ID=ubuntu\nVERSION_ID="22.04"\n' },
      { name: 'usr/lib/os-release', content: 'ID=alpine\nVERSION_ID=3.20.0\n' },
    ]);
    const l1 = await buildLayer([
      { name: 'usr/lib/os-release', content: 'ID=alpine\nVERSION_ID=3.20.0\n' },
      { name: 'etc/os-release', type: 'link', linkname: 'usr/lib/os-release' },
    ]);
    const inv = await scanLayers('hardlink', [l0, l1]);
    assert.equal(inv.os?.family, 'alpine');
  });

  it('refuses images with more layers than the limit', async () => {
    const l = await buildLayer([{ name: 'a', content: 'b' }]);
    const layout = path.join(dir, 'many');
    await writeOciLayout(layout, [{ layers: [l, l, l] }]);
    const source = await openOciLayout(layout, { limits: { maxLayers: 2 } });
    await assert.rejects(
      scanImageInventory(source, { analyzers: testAnalyzers, osEcosystem: testOsEcosystem }),
      {
        code: 'LIMIT_EXCEEDED',
      },
    );
  });

  it('analyzes a symlink target that comes later in the same layer under the link path, inside the image', async () => {
    const l0 = await buildLayer([
      { name: 'srv/package.json', type: 'symlink', linkname: '../../../../opt/meta.json' },
      { name: 'opt/meta.json', content: pkgJson('linked', '1.0.0') },
    ]);
    const inv = await scanLayers('forward-link', [l0]);
    assert.deepEqual(
      inv.packages.map((p) => [p.name, p.location, p.layer?.index]),
      [['linked', 'srv/package.json', 0]],
    );
  });

  it('resolveInImage clamps .. at the root and bounds hops', () => {
    const links = new Map([
      ['etc/os-release', { path: 'etc/os-release', target: '../../../../etc/passwd', hard: false }],
      ['a', { path: 'a', target: 'b', hard: false }],
      ['b', { path: 'b', target: '/a', hard: false }],
      ['h', { path: 'h', target: 'x/y', hard: true }],
    ]);
    assert.equal(resolveInImage('etc/os-release', links, 40), 'etc/passwd');
    assert.equal(resolveInImage('a', links, 40), undefined);
    assert.equal(resolveInImage('h', links, 40), 'x/y');
  });

  it('merges cached-style results without layer info (rootfs) and reports analyzer warnings', () => {
    const result: LayerResult = {
      diffId: '',
      outputs: [
        {
          analyzerId: 'test-os',
          path: 'etc/os-release',
          output: { warnings: [{ code: 'ANALYZER_FAILED', message: 'x' }] },
        },
      ],
      whiteouts: [],
      opaqueDirs: [],
      links: [],
      warnings: [],
    };
    const inv = mergeLayers({
      target: { kind: 'rootfs', name: '/r' },
      layers: [{ result }],
      analyzers: testAnalyzers,
      osEcosystem: testOsEcosystem,
    });
    assert.equal(inv.os, undefined);
    assert.deepEqual(
      inv.warnings.map((w) => w.code),
      ['ANALYZER_FAILED'],
    );
  });

  it('fails with DIGEST_MISMATCH when a layer does not uncompress to the config diffID', async () => {
    const l0 = await buildLayer([{ name: 'etc/os-release', content: 'ID=debian\n' }]);
    const other = await buildLayer([{ name: 'etc/os-release', content: 'ID=evil\n' }]);
    const layout = path.join(dir, 'wrong-diffid');
    await writeOciLayout(layout, [{ layers: [l0], config: imageConfig([other]) }]);
    const source = await openOciLayout(layout);
    await assert.rejects(
      scanImageInventory(source, { analyzers: testAnalyzers, osEcosystem: testOsEcosystem }),
      {
        code: 'DIGEST_MISMATCH',
      },
    );
  });
});

describe('file facts', () => {
  // an analyzer that notes setuid files, as the image-hygiene checks do
  const setuid: Analyzer = {
    id: 'setuid-test',
    version: 1,
    kind: 'lang',
    required: (_p, _s, mode) => ((mode ?? 0) & 0o6000) !== 0,
    analyze: (f) => ({ facts: [{ kind: 'setuid', data: { mode: f.mode & 0o7777 } }] }),
  };

  it('reports facts of visible files only, with the layer their visible version came from', async () => {
    const l0 = await buildLayer([
      { name: 'usr/bin/passwd', content: 'x', mode: 0o4755 },
      { name: 'usr/bin/gone', content: 'x', mode: 0o4755 },
      { name: 'usr/bin/ls', content: 'x', mode: 0o755 },
    ]);
    const l1 = await buildLayer([
      { name: 'usr/bin/.wh.gone', content: '' },
      { name: 'usr/bin/passwd', content: 'y', mode: 0o2755 },
    ]);
    const layout = path.join(dir, 'facts');
    await writeOciLayout(layout, [{ layers: [l0, l1] }]);
    const source = await openOciLayout(layout);
    try {
      const inv = await scanImageInventory(source, { analyzers: [setuid], osEcosystem: testOsEcosystem });
      assert.deepEqual(
        inv.facts?.map((f) => [f.path, f.kind, f.data.mode, f.layer?.index]),
        [['usr/bin/passwd', 'setuid', 0o2755, 1]],
      );
    } finally {
      await source.close();
    }
  });
});
