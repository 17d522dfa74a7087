// A real docker-registry serving TLS only: the client speaks HTTPS to it (loopback registries get
// HTTPS first, without certificate checks, as Docker does) and still falls back for plain ones.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { RegistryClient, resolveImage } from '../../src/registry/index.js';
import {
  buildImage,
  selfSignedCert,
  readAll,
  sha256,
  startRegistry,
  tempDir,
  type RunningRegistry,
} from './helpers.js';

describe('TLS registry', () => {
  let reg: RunningRegistry;
  let dir: string;
  let client: RegistryClient;

  before(async () => {
    dir = await tempDir('tls');
    const { key, cert } = await selfSignedCert(dir, '/CN=127.0.0.1', [
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    reg = await startRegistry('', ['  tls:', `    certificate: ${cert}`, `    key: ${key}`].join('\n'));
    client = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 } });
  });

  after(async () => {
    client?.close();
    await reg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('pushes and pulls over HTTPS', async () => {
    assert.equal((await client.baseUrl(reg.host)).protocol, 'https:');
    const repo = `${reg.host}/tls/app`;
    const image = await buildImage([{ 'etc/tls': 'yes' }]);
    for (const l of image.layers) await client.pushBlob(repo, l.blob);
    await client.pushBlob(repo, image.config);
    await client.pushManifest(repo, 'v1', image.manifest, image.mediaType);
    const img = await resolveImage(client, `${repo}:v1`);
    assert.equal(img.manifestDigest, image.manifestDigest);
    const bytes = await readAll(await client.openBlob(repo, img.layers[0]!));
    assert.equal(sha256(bytes), image.layers[0]!.digest);
  });
});
