// Against a real docker-registry (distribution 2.8) without auth: skopeo-pushed image, own push,
// multi-platform indexes, streaming with digest checks, tags, referrers.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { BulwarkError } from '../../src/core/errors.js';
import { MEDIA_TYPES, RegistryClient, registrySource, resolveImage } from '../../src/registry/index.js';
import {
  buildImage,
  execFileP,
  readAll,
  sha256,
  startRegistry,
  tempDir,
  writeOciLayout,
  type BuiltImage,
  type RunningRegistry,
} from './helpers.js';

function isCode(code: string) {
  return (e: unknown) => e instanceof BulwarkError && e.code === code;
}

async function pushImage(
  client: RegistryClient,
  repo: string,
  tag: string,
  image: BuiltImage,
): Promise<string> {
  for (const l of image.layers) await client.pushBlob(repo, l.blob);
  await client.pushBlob(repo, image.config);
  return client.pushManifest(repo, tag, image.manifest, image.mediaType);
}

describe('registry client against a real docker-registry', () => {
  let reg: RunningRegistry;
  let client: RegistryClient;
  let image: BuiltImage;
  let layoutDir: string;

  before(async () => {
    reg = await startRegistry();
    client = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 } });
    image = await buildImage([
      { 'etc/os-release': 'ID=debian\nVERSION_ID=12\n', 'etc/hostname': 'bulwark\n' },
      { 'app/main.js': 'console.log(1)\n' },
    ]);
    layoutDir = await tempDir('oci-layout');
    await writeOciLayout(layoutDir, image, 'v1');
    await execFileP('skopeo', [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      `oci:${layoutDir}:v1`,
      `docker://${reg.host}/demo/app:v1`,
    ]);
  });

  after(async () => {
    client?.close();
    await reg?.stop();
    if (layoutDir) await rm(layoutDir, { recursive: true, force: true });
  });

  test('resolves a skopeo-pushed OCI image: digests, diffIds, created_by, repoDigests', async () => {
    const img = await resolveImage(client, `${reg.host}/demo/app:v1`);
    assert.equal(img.manifestDigest, image.manifestDigest);
    assert.equal(img.configDigest, image.configDigest);
    assert.equal(img.platform, 'linux/amd64');
    assert.deepEqual(
      img.layers.map((l) => [l.index, l.digest, l.diffId, l.size, l.createdBy]),
      image.layers.map((l, i) => [i, l.digest, l.diffId, l.blob.length, `/bin/sh -c #(nop) ADD layer-${i}`]),
    );
    assert.deepEqual(img.repoDigests, [`${reg.host}/demo/app@${image.manifestDigest}`]);
    assert.deepEqual(img.repoTags, [`${reg.host}/demo/app:v1`]);
    assert.equal(img.config.config?.User, 'app');
    // A single-platform image asked for as another platform is refused, not silently returned.
    await assert.rejects(
      resolveImage(client, `${reg.host}/demo/app:v1`, { platform: 'linux/arm64' }),
      isCode('UNSUPPORTED'),
    );
    assert.equal(
      (await resolveImage(client, `${reg.host}/demo/app:v1`, { platform: 'linux/amd64' })).platform,
      'linux/amd64',
    );
  });

  test('registrySource streams each layer with its verified bytes; pinning by digest works', async () => {
    const src = registrySource(`${reg.host}/demo/app@${image.manifestDigest}`, { client });
    const img = await src.resolve();
    assert.equal(img.manifestDigest, image.manifestDigest);
    for (const [i, layer] of img.layers.entries()) {
      const bytes = await readAll(await src.openLayer(layer));
      assert.equal(sha256(bytes), image.layers[i]!.digest);
      assert.equal(sha256(gunzipSync(bytes)), layer.diffId);
    }
    await src.close();
  });

  test('a layer whose manifest size is smaller than the blob fails with LIMIT_EXCEEDED', async () => {
    const l = image.layers[0]!;
    await assert.rejects(
      client.openBlob(`${reg.host}/demo/app`, { digest: l.digest, size: l.blob.length - 1 }),
      isCode('LIMIT_EXCEEDED'),
    );
  });

  test('picks the platform from a real multi-arch OCI index; UNSUPPORTED lists the others', async () => {
    const repo = `${reg.host}/demo/multi`;
    const amd = await buildImage([{ 'arch.txt': 'amd64' }], { architecture: 'amd64' });
    const arm = await buildImage([{ 'arch.txt': 'arm64' }], { architecture: 'arm64', variant: 'v8' });
    const amdDigest = await pushImage(client, repo, amd.manifestDigest, amd);
    const armDigest = await pushImage(client, repo, arm.manifestDigest, arm);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: [
          {
            mediaType: MEDIA_TYPES.ociManifest,
            digest: armDigest,
            size: arm.manifest.length,
            platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
          },
          {
            mediaType: MEDIA_TYPES.ociManifest,
            digest: amdDigest,
            size: amd.manifest.length,
            platform: { os: 'linux', architecture: 'amd64' },
          },
        ],
      }),
    );
    const indexDigest = await client.pushManifest(repo, 'latest', index, MEDIA_TYPES.ociIndex);

    const dflt = await resolveImage(client, `${repo}:latest`);
    assert.equal(dflt.manifestDigest, amdDigest);
    assert.equal(dflt.indexDigest, indexDigest);
    assert.deepEqual(dflt.repoDigests, [`${repo}@${indexDigest}`]);

    const armImg = await resolveImage(client, `${repo}:latest`, { platform: 'linux/arm64' });
    assert.equal(armImg.manifestDigest, armDigest);
    assert.equal(armImg.platform, 'linux/arm64/v8');
    assert.equal(armImg.layers[0]!.diffId, arm.layers[0]!.diffId);

    const armClient = new RegistryClient({ platform: 'linux/arm64/v8' });
    try {
      assert.equal((await resolveImage(armClient, `${repo}:latest`)).manifestDigest, armDigest);
    } finally {
      armClient.close();
    }
    await assert.rejects(
      resolveImage(client, `${repo}:latest`, { platform: 'linux/s390x' }),
      (e: unknown) => isCode('UNSUPPORTED')(e) && /linux\/arm64\/v8, linux\/amd64/.test((e as Error).message),
    );
  });

  test('reads Docker schema2 manifests and manifest lists', async () => {
    const repo = `${reg.host}/demo/dockerfmt`;
    const img = await buildImage([{ 'a.txt': 'a' }], { docker: true, architecture: 'arm64' });
    const digest = await pushImage(client, repo, 'single', img);
    const list = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.dockerManifestList,
        manifests: [
          {
            mediaType: MEDIA_TYPES.dockerManifest,
            digest,
            size: img.manifest.length,
            platform: { os: 'linux', architecture: 'arm64' },
          },
        ],
      }),
    );
    await client.pushManifest(repo, 'list', list, MEDIA_TYPES.dockerManifestList);
    const single = await client.getManifest(repo, 'single');
    assert.equal(single.mediaType, MEDIA_TYPES.dockerManifest);
    assert.equal(single.digest, digest);
    // Only arm64 inside: the default linux/amd64 misses, the host fallback (arm64) hits.
    const hostArm = new RegistryClient({ hostPlatform: { platform: 'linux', arch: 'arm64' } });
    try {
      const resolved = await resolveImage(hostArm, `${repo}:list`);
      assert.equal(resolved.manifestDigest, digest);
      assert.equal(resolved.layers[0]!.mediaType, MEDIA_TYPES.dockerLayerGzip);
    } finally {
      hostArm.close();
    }
    await assert.rejects(resolveImage(client, `${repo}:list`), isCode('UNSUPPORTED'));
  });

  test('unknown tags, repositories and blobs are REGISTRY_NOT_FOUND naming them', async () => {
    await assert.rejects(
      resolveImage(client, `${reg.host}/demo/app:nope`),
      (e: unknown) =>
        isCode('REGISTRY_NOT_FOUND')(e) && (e as BulwarkError).input === `${reg.host}/demo/app:nope`,
    );
    await assert.rejects(resolveImage(client, `${reg.host}/no/such:v1`), isCode('REGISTRY_NOT_FOUND'));
    const missing = sha256(Buffer.from('missing'));
    await assert.rejects(
      client.openBlob(`${reg.host}/demo/app`, { digest: missing, size: 7 }),
      (e: unknown) =>
        isCode('REGISTRY_NOT_FOUND')(e) && (e as BulwarkError).input === `${reg.host}/demo/app@${missing}`,
    );
    assert.equal(await client.blobExists(`${reg.host}/demo/app`, missing), false);
    assert.equal(await client.blobExists(`${reg.host}/demo/app`, image.configDigest), true);
  });

  test('lists tags and refuses to push a manifest under a digest it does not hash to', async () => {
    const repo = `${reg.host}/demo/tags`;
    const img = await buildImage([{ x: 'y' }]);
    for (const t of ['b', 'a', 'c']) await pushImage(client, repo, t, img);
    assert.deepEqual((await client.listTags(repo)).sort(), ['a', 'b', 'c']);
    // Two per page: the registry's Link header leads to the second page.
    assert.deepEqual((await client.listTags(repo, { pageSize: 2 })).sort(), ['a', 'b', 'c']);
    await assert.rejects(
      client.pushManifest(repo, image.manifestDigest, img.manifest, img.mediaType),
      isCode('DIGEST_MISMATCH'),
    );
  });

  test('referrers: falls back to the sha256-<hex> tag schema on a registry without the API', async () => {
    const repo = `${reg.host}/demo/app`;
    assert.deepEqual(await client.referrers(repo, image.manifestDigest), []);
    const empty = Buffer.from('{}');
    await client.pushBlob(repo, empty);
    const payload = Buffer.from('{"predicate":"test"}');
    const payloadDesc = await client.pushBlob(repo, payload);
    const artifactType = 'application/vnd.bulwark.test+json';
    const artifact = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociManifest,
        artifactType,
        config: { mediaType: MEDIA_TYPES.ociEmpty, digest: sha256(empty), size: empty.length },
        layers: [{ mediaType: 'application/json', digest: payloadDesc.digest, size: payloadDesc.size }],
        subject: {
          mediaType: MEDIA_TYPES.ociManifest,
          digest: image.manifestDigest,
          size: image.manifest.length,
        },
      }),
    );
    const artifactDigest = await client.pushManifest(
      repo,
      sha256(artifact),
      artifact,
      MEDIA_TYPES.ociManifest,
    );
    const referrersIndex = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MEDIA_TYPES.ociIndex,
        manifests: [
          { mediaType: MEDIA_TYPES.ociManifest, digest: artifactDigest, size: artifact.length, artifactType },
        ],
      }),
    );
    await client.pushManifest(
      repo,
      image.manifestDigest.replace(':', '-'),
      referrersIndex,
      MEDIA_TYPES.ociIndex,
    );
    const found = await client.referrers(repo, image.manifestDigest);
    assert.deepEqual(
      found.map((d) => [d.digest, d.artifactType]),
      [[artifactDigest, artifactType]],
    );
    assert.deepEqual(await client.referrers(repo, image.manifestDigest, { artifactType: 'other/type' }), []);
  });
});
