import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  openDockerArchive,
  openInputPath,
  openOciLayout,
  openSource,
  scanImageInventory,
  type ImageSource,
} from '../../src/image/index.js';
import {
  buildLayer,
  buildTar,
  pkgJson,
  testAnalyzers,
  testOsEcosystem,
  tmpDir,
  writeDockerArchive,
  writeOciLayout,
  type BuiltLayer,
} from './helpers.js';

let dir: string;
let layers: BuiltLayer[];
before(async () => {
  dir = await tmpDir();
  layers = [
    await buildLayer(
      [
        { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
        { name: 'var/lib/dpkg/status', content: 'libc6 2.36-9\n' },
      ],
      'none',
    ),
    await buildLayer([{ name: 'app/package.json', content: pkgJson('app', '0.1.0') }], 'gzip'),
    await buildLayer([{ name: 'app/node_modules/z/package.json', content: pkgJson('z', '3.0.0') }], 'zstd'),
  ];
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scan(source: ImageSource) {
  try {
    return await scanImageInventory(source, { analyzers: testAnalyzers, osEcosystem: testOsEcosystem });
  } finally {
    await source.close();
  }
}

const summary = (inv: Awaited<ReturnType<typeof scan>>) =>
  inv.packages.map((p) => `${p.name}@${p.version}#${p.layer?.index}`);
const EXPECTED = ['libc6@2.36-9#0', 'app@0.1.0#1', 'z@3.0.0#2'];

describe('image sources', () => {
  it('reads a legacy docker save archive (plain layer.tar, shared layers as symlinks)', async () => {
    const file = path.join(dir, 'legacy.tar');
    await writeDockerArchive(file, [layers[0]!], { layout: 'legacy', repoTags: ['ex:1'] });
    const inv = await scan(await openDockerArchive(file));
    assert.deepEqual(summary(inv), ['libc6@2.36-9#0']);
    assert.deepEqual(inv.target.repoTags, ['ex:1']);
    assert.equal(inv.os?.ecosystem, 'Debian:12');
    const same = await buildLayer([{ name: 'x', content: 'y' }], 'none');
    const shared = path.join(dir, 'shared.tar');
    await writeDockerArchive(shared, [same, same], { layout: 'legacy', sharedLayerSymlink: true });
    const inv2 = await scan(await openDockerArchive(shared));
    assert.equal(inv2.target.layers?.length, 2);
  });

  it('reads a Docker 25+ archive (OCI blobs inside the tar) with gzip, zstd and plain layers', async () => {
    const file = path.join(dir, 'docker25.tar');
    await writeDockerArchive(file, layers, { layout: 'oci', repoTags: ['ex:2', 'ex:latest'] });
    const inv = await scan(await openInputPath(file));
    assert.deepEqual(summary(inv).sort(), [...EXPECTED].sort());
    assert.deepEqual(inv.target.repoTags, ['ex:2', 'ex:latest']);
    assert.equal(inv.packages.find((p) => p.name === 'z')?.layer?.createdBy, 'step 2');
  });

  it('reads an OCI layout as a directory and as a tar, detected by content', async () => {
    const layout = path.join(dir, 'oci');
    await writeOciLayout(layout, [{ layers, tag: 'v1' }]);
    const fromDir = await scan(await openInputPath(layout));
    assert.deepEqual(summary(fromDir).sort(), [...EXPECTED].sort());
    assert.match(fromDir.target.digest ?? '', /^sha256:/);
    const tarFile = path.join(dir, 'oci.tar');
    execFileSync('tar', ['-C', layout, '-cf', tarFile, '.']);
    const fromTar = await scan(await openInputPath(`${tarFile}:v1`));
    assert.deepEqual(summary(fromTar), summary(fromDir));
    assert.equal(fromTar.target.name, `${tarFile}:v1`);
  });

  it('selects by tag, platform (default linux/amd64) and through nested indexes', async () => {
    const arm = await buildLayer([{ name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.0\n' }]);
    const amd = await buildLayer([{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' }]);
    const layout = path.join(dir, 'multi');
    await writeOciLayout(
      layout,
      [
        { layers: [arm], tag: 'multi', platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { layers: [amd], tag: 'multi', platform: { os: 'linux', architecture: 'amd64' } },
      ],
      true,
    );
    assert.equal((await scan(await openOciLayout(layout))).os?.family, 'debian');
    assert.equal((await scan(await openOciLayout(layout, { platform: 'linux/arm64' }))).os?.family, 'alpine');
    assert.equal(
      (await scan(await openOciLayout(layout, { tag: 'multi', platform: 'linux/arm64/v8' }))).os?.family,
      'alpine',
    );
    await assert.rejects(scan(await openOciLayout(layout, { platform: 'linux/s390x' })), {
      code: 'UNSUPPORTED',
    });
    await assert.rejects(scan(await openOciLayout(layout, { tag: 'nope' })), { code: 'INPUT_NOT_FOUND' });
    const tagged = path.join(dir, 'tagged');
    await writeOciLayout(tagged, [
      { layers: [arm], tag: 'a' },
      { layers: [amd], tag: 'b' },
    ]);
    assert.equal((await scan(await openOciLayout(tagged, { tag: 'a' }))).os?.family, 'alpine');
    // two untagged-by-platform images and no choice: ambiguity is an error, not a guess
    await assert.rejects(scan(await openOciLayout(tagged)), { code: 'UNSUPPORTED' });
  });

  it('reads layouts made by umoci and archives made by skopeo', async () => {
    const layout = path.join(dir, 'umoci');
    const bundle = path.join(dir, 'bundle');
    execFileSync('umoci', ['init', '--layout', layout]);
    execFileSync('umoci', ['new', '--image', `${layout}:t`]);
    execFileSync('umoci', ['unpack', '--rootless', '--image', `${layout}:t`, bundle]);
    await mkdir(path.join(bundle, 'rootfs', 'etc'), { recursive: true });
    await writeFile(path.join(bundle, 'rootfs', 'etc', 'os-release'), 'ID=debian\nVERSION_ID="12"\n');
    await mkdir(path.join(bundle, 'rootfs', 'srv'), { recursive: true });
    await writeFile(path.join(bundle, 'rootfs', 'srv', 'package.json'), pkgJson('srv', '1.2.3'));
    execFileSync('umoci', ['repack', '--image', `${layout}:t`, bundle]);
    const inv = await scan(await openInputPath(`${layout}:t`));
    assert.equal(inv.os?.family, 'debian');
    assert.deepEqual(
      inv.packages.map((p) => p.name),
      ['srv'],
    );
    const archive = path.join(dir, 'skopeo.tar');
    execFileSync('skopeo', ['copy', '--quiet', `oci:${layout}:t`, `docker-archive:${archive}:ex:9`]);
    const inv2 = await scan(await openInputPath(archive));
    assert.deepEqual(
      inv2.packages.map((p) => p.name),
      ['srv'],
    );
    assert.deepEqual(inv2.target.repoTags, ['docker.io/library/ex:9']);
    const byTag = await scan(await openInputPath(`${archive}:ex:9`));
    assert.deepEqual(
      byTag.packages.map((p) => p.name),
      ['srv'],
    );
    await assert.rejects(scan(await openDockerArchive(archive, { tag: 'other:1' })), {
      code: 'INPUT_NOT_FOUND',
    });
  });

  it('fails with DIGEST_MISMATCH when a blob is not what the manifest says', async () => {
    const layout = path.join(dir, 'tampered');
    await writeOciLayout(layout, [{ layers }]);
    // overwrite layer 1's blob with other bytes, keeping its name
    await writeFile(path.join(layout, 'blobs', 'sha256', layers[1]!.digest.slice(7)), layers[2]!.blob);
    await assert.rejects(
      scan(await openOciLayout(layout)),
      (e: Error & { code?: string; input?: string }) => {
        assert.equal(e.code, 'DIGEST_MISMATCH');
        assert.ok(e.input?.includes(layers[1]!.digest.slice(7)));
        return true;
      },
    );
  });

  it('gives INPUT_NOT_FOUND, MALFORMED_INPUT, LIMIT_EXCEEDED and PATH_TRAVERSAL for bad inputs', async () => {
    await assert.rejects(
      openInputPath(path.join(dir, 'missing.tar')),
      (e: Error & { code?: string; input?: string }) => {
        assert.equal(e.code, 'INPUT_NOT_FOUND');
        assert.ok(e.input?.endsWith('missing.tar'));
        return true;
      },
    );
    const notImage = path.join(dir, 'not-image.tar');
    await writeFile(notImage, await buildTar([{ name: 'hello.txt', content: 'hi' }]));
    await assert.rejects(openInputPath(notImage), { code: 'MALFORMED_INPUT' });
    const garbage = path.join(dir, 'garbage.tar');
    await writeFile(garbage, Buffer.alloc(2048, 0x42));
    await assert.rejects(openInputPath(garbage), { code: 'MALFORMED_INPUT' });

    const layout = path.join(dir, 'missing-blob');
    await writeOciLayout(layout, [{ layers }]);
    await rm(path.join(layout, 'blobs', 'sha256', layers[0]!.digest.slice(7)));
    await assert.rejects(
      scan(await openOciLayout(layout)),
      (e: Error & { code?: string; input?: string }) => {
        assert.equal(e.code, 'INPUT_NOT_FOUND');
        assert.ok(e.input?.includes(layers[0]!.digest.slice(7)));
        return true;
      },
    );

    const huge = path.join(dir, 'huge');
    await writeOciLayout(huge, [{ layers }]);
    await writeFile(
      path.join(huge, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [], pad: 'x'.repeat(5 * 1024 * 1024) }),
    );
    await assert.rejects(scan(await openOciLayout(huge)), { code: 'LIMIT_EXCEEDED' });

    const escape = path.join(dir, 'escape');
    await writeOciLayout(escape, [{ layers }]);
    const blob = path.join(escape, 'blobs', 'sha256', layers[0]!.digest.slice(7));
    await rm(blob);
    await symlink('/etc/passwd', blob);
    await assert.rejects(scan(await openOciLayout(escape)), { code: 'PATH_TRAVERSAL' });

    const badDigest = path.join(dir, 'bad-digest');
    await writeOciLayout(badDigest, [{ layers, layerDigests: ['sha256:../../../../etc/passwd'] }]);
    await assert.rejects(scan(await openOciLayout(badDigest)), { code: 'MALFORMED_INPUT' });
  });

  it('openSource uses --input before anything else and needs a ref otherwise', async () => {
    const file = path.join(dir, 'docker25b.tar');
    await writeDockerArchive(file, layers, { layout: 'oci' });
    const inv = await scan(await openSource({ inputPath: file, cacheDir: dir }));
    assert.equal(inv.packages.length, 3);
    await assert.rejects(openSource({ cacheDir: dir }), { code: 'USAGE' });
  });
});
