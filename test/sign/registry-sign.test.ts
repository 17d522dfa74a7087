// Image signatures against a real docker-registry on loopback: the `.sig` layout read raw and
// compared byte for byte with what cosign (go-containerregistry) writes, appending, and every
// failure reason with its exit code, including hostile signature layers.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/core/errors.js';
import { RegistryClient } from '../../src/registry/index.js';
import {
  generateKeyPair,
  loadPublicKey,
  signImage,
  verifyImageSignatures,
  type SigningKey,
  type VerificationKey,
} from '../../src/sign/index.js';
import { runCli } from '../cli/helpers.js';
import { buildImage, startRegistry, type BuiltImage, type RunningRegistry } from '../registry/helpers.js';
import { run, tempDir } from './helpers.js';

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const OCI = 'application/vnd.oci.image.manifest.v1+json';

async function push(client: RegistryClient, repo: string, tag: string, image: BuiltImage): Promise<string> {
  for (const l of image.layers) await client.pushBlob(repo, l.blob);
  await client.pushBlob(repo, image.config);
  return client.pushManifest(repo, tag, image.manifest, image.mediaType);
}

async function rawGet(host: string, p: string): Promise<Buffer> {
  const res = await fetch(`http://${host}${p}`, { headers: { accept: OCI } });
  assert.equal(res.status, 200, p);
  return Buffer.from(await res.arrayBuffer());
}

async function keyPair(): Promise<{
  key: SigningKey;
  pub: VerificationKey;
  pubPem: string;
  privPem: string;
}> {
  const pair = await generateKeyPair(Buffer.from('pw'));
  return {
    key: pair.key,
    pub: loadPublicKey(pair.publicPem, 'k.pub'),
    pubPem: pair.publicPem,
    privPem: pair.privatePem,
  };
}

describe('image signatures on a real registry', () => {
  let reg: RunningRegistry;
  let client: RegistryClient;
  let imageA: BuiltImage;
  let imageB: BuiltImage;
  let digestA: string;
  let dir: string;
  let alice: Awaited<ReturnType<typeof keyPair>>;
  let bob: Awaited<ReturnType<typeof keyPair>>;
  let repo: string;

  before(async () => {
    reg = await startRegistry();
    client = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 } });
    repo = `${reg.host}/demo/app`;
    imageA = await buildImage([{ 'etc/os-release': 'ID=debian\n' }]);
    imageB = await buildImage([{ 'etc/os-release': 'ID=alpine\n' }]);
    digestA = await push(client, repo, 'v1', imageA);
    dir = await tempDir('sign-reg');
    alice = await keyPair();
    bob = await keyPair();
  });
  after(async () => {
    client?.close();
    await reg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes cosign's layout byte for byte: payload, config, manifest under sha256-<hex>.sig", async () => {
    const r = await signImage(`${repo}:v1`, alice.key, { client });
    assert.equal(r.digest, digestA);
    const tag = `sha256-${digestA.slice(7)}.sig`;
    assert.equal(r.signatureTag, tag);
    const tags = await client.listTags(repo);
    assert.deepEqual(tags.sort(), [tag, 'v1'].sort());

    const manifest = await rawGet(reg.host, `/v2/demo/app/manifests/${tag}`);
    const payload = Buffer.from(
      `{"critical":{"identity":{"docker-reference":"${repo}"},"image":{"docker-manifest-digest":"${digestA}"},"type":"cosign container image signature"},"optional":null}`,
    );
    const config = Buffer.from(
      `{"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers","diff_ids":["${sha(payload)}"]},"config":{}}`,
    );
    const expected =
      `{"schemaVersion":2,"mediaType":"${OCI}","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":${config.length},"digest":"${sha(config)}"},` +
      `"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","size":${payload.length},"digest":"${sha(payload)}","annotations":{"dev.cosignproject.cosign/signature":"${r.signature}"}}]}`;
    assert.equal(manifest.toString(), expected);
    assert.deepEqual(await rawGet(reg.host, `/v2/demo/app/blobs/${sha(payload)}`), payload);
    assert.deepEqual(await rawGet(reg.host, `/v2/demo/app/blobs/${sha(config)}`), config);

    // the signature annotation verifies over the payload blob with openssl
    await writeFile(path.join(dir, 'payload'), payload);
    await writeFile(path.join(dir, 'sig'), Buffer.from(r.signature, 'base64'));
    await writeFile(path.join(dir, 'alice.pub'), alice.pubPem);
    const ok = await run('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      path.join(dir, 'alice.pub'),
      '-signature',
      path.join(dir, 'sig'),
      path.join(dir, 'payload'),
    ]);
    assert.equal(ok.toString().trim(), 'Verified OK');

    const v = await verifyImageSignatures(`${repo}:v1`, { keys: [alice.pub] }, { client });
    assert.equal(v.verified, true);
    assert.equal(v.signatures[0]!.key, 'k.pub');
  });

  it('appends a second signature, keeps the first, and skips an exact duplicate', async () => {
    const before = await rawGet(reg.host, `/v2/demo/app/manifests/sha256-${digestA.slice(7)}.sig`);
    const firstLayer = (JSON.parse(before.toString()) as { layers: unknown[] }).layers[0];
    const r = await signImage(`${repo}:v1`, bob.key, {
      client,
      annotations: { env: 'prod', '<tag>': 'a&b' },
    });
    assert.equal(r.signatureCount, 2);
    const m = JSON.parse((await rawGet(reg.host, `/v2/demo/app/manifests/${r.signatureTag}`)).toString()) as {
      layers: { digest: string }[];
      config: { digest: string };
    };
    assert.deepEqual(m.layers[0], firstLayer);
    // Go's encoding: sorted optional keys, <, >, & escaped
    assert.match(r.payload.toString(), /"optional":\{"\\u003ctag\\u003e":"a\\u0026b","env":"prod"\}\}$/);
    const cfg = (await rawGet(reg.host, `/v2/demo/app/blobs/${m.config.digest}`)).toString();
    assert.equal(
      cfg,
      `{"architecture":"","created":"0001-01-01T00:00:00Z","history":[{"created":"0001-01-01T00:00:00Z"},{"created":"0001-01-01T00:00:00Z"}],"os":"","rootfs":{"type":"layers","diff_ids":["${m.layers[0]!.digest}","${m.layers[1]!.digest}"]},"config":{}}`,
    );
    const dup = await signImage(`${repo}:v1`, bob.key, {
      client,
      annotations: { env: 'prod', '<tag>': 'a&b' },
    });
    assert.equal(dup.duplicate, true);
    assert.equal(dup.signatureCount, 2);

    const both = await verifyImageSignatures(
      `${repo}:v1`,
      { keys: [alice.pub, bob.pub], annotations: { env: 'prod' } },
      { client },
    );
    assert.equal(both.verified, true);
    assert.deepEqual(
      both.signatures.map((s) => [s.verified, s.reason]),
      [
        [false, 'annotation-mismatch'],
        [true, undefined],
      ],
    );
  });

  it('--upload=false writes payload and signature files and pushes nothing', async () => {
    const keyFile = path.join(dir, 'alice.key');
    await writeFile(keyFile, alice.privPem);
    await push(client, repo, 'unpushed', await buildImage([{ x: 'unpushed' }]));
    const tagsBefore = (await client.listTags(repo)).sort();
    const r = await runCli(
      [
        'sign',
        '--key',
        keyFile,
        '--upload=false',
        '--output-payload',
        path.join(dir, 'p.json'),
        '--output-signature',
        path.join(dir, 'p.sig'),
        `${repo}:unpushed`,
      ],
      { COSIGN_PASSWORD: 'pw' },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await client.listTags(repo)).sort(), tagsBefore);
    const payload = await readFile(path.join(dir, 'p.json'));
    await writeFile(
      path.join(dir, 'p.der'),
      Buffer.from(await readFile(path.join(dir, 'p.sig'), 'utf8'), 'base64'),
    );
    const ok = await run('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      path.join(dir, 'alice.pub'),
      '-signature',
      path.join(dir, 'p.der'),
      path.join(dir, 'p.json'),
    ]);
    assert.equal(ok.toString().trim(), 'Verified OK');
    assert.match(payload.toString(), /"type":"cosign container image signature"/);
  });

  it('gives every failure its own reason and exit code', async () => {
    const pubFile = path.join(dir, 'alice.pub');
    const bobFile = path.join(dir, 'bob.pub');
    await writeFile(bobFile, bob.pubPem);
    const verify = (args: string[]) => runCli(['verify', ...args, '--format', 'json']);
    const reasonOf = (out: string) => (JSON.parse(out) as { reason?: string }).reason;

    // no signatures: the .sig tag answers 404
    await push(client, repo, 'unsigned', await buildImage([{ u: '1' }]));
    const none = await verify(['--key', pubFile, `${repo}:unsigned`]);
    assert.equal(none.code, ERROR_CODES.SIGNATURE_NOT_FOUND, none.stderr);
    assert.equal(reasonOf(none.stdout), 'no-signatures');

    // verified with the right key, exit 0
    const good = await verify(['--key', pubFile, `${repo}:v1`]);
    assert.equal(good.code, 0, good.stderr);

    // another key: the signature does not verify (no evidence of who signed): bad-signature
    const third = await keyPair();
    await writeFile(path.join(dir, 'third.pub'), third.pubPem);
    const other = await verifyImageSignatures(`${repo}:v1`, { keys: [third.pub] }, { client });
    assert.deepEqual(
      other.signatures.map((s) => s.reason),
      ['bad-signature', 'bad-signature'],
    );
    const otherCli = await verify(['--key', path.join(dir, 'third.pub'), `${repo}:v1`]);
    assert.equal(otherCli.code, ERROR_CODES.SIGNATURE_INVALID);
    // ... and wrong-key when the signer is a known, untrusted key
    const wrong = await verifyImageSignatures(
      `${repo}:v1`,
      { keys: [third.pub], knownKeys: [loadPublicKey(alice.pubPem, 'alice')] },
      { client },
    );
    assert.equal(wrong.reason, 'wrong-key');
    assert.match(wrong.message, /"alice"/);

    // annotation required but absent
    const ann = await verify(['--key', pubFile, '-a', 'env=prod', `${repo}:v1`]);
    assert.equal(ann.code, ERROR_CODES.SIGNATURE_ANNOTATION_MISMATCH);
    assert.equal(reasonOf(ann.stdout), 'annotation-mismatch');

    // a moved tag: v1 now names image B, whose .sig holds A's signatures copied over
    const sigA = await rawGet(reg.host, `/v2/demo/app/manifests/sha256-${digestA.slice(7)}.sig`);
    const digestB = await push(client, repo, 'moving', imageB);
    await client.pushManifest(repo, `sha256-${digestB.slice(7)}.sig`, sigA, OCI);
    const moved = await verify(['--key', pubFile, `${repo}:moving`]);
    assert.equal(moved.code, ERROR_CODES.SIGNATURE_DIGEST_MISMATCH);
    assert.equal(reasonOf(moved.stdout), 'digest-mismatch');
    assert.match(moved.stderr, /error\[SIGNATURE_DIGEST_MISMATCH\]/);
  });

  it('rejects a tampered payload and a layer without the signature annotation, each on its own', async () => {
    const img = await buildImage([{ t: 'tamper' }]);
    const digest = await push(client, repo, 'tamper', img);
    const signed = await signImage(`${repo}:tamper`, alice.key, { client });
    const sigTag = `sha256-${digest.slice(7)}.sig`;
    // rewrite the payload (same digest claim, an extra annotation) and keep the old signature
    const tampered = Buffer.from(
      signed.payload.toString().replace('"optional":null', '"optional":{"env":"prod"}'),
    );
    const noAnnotation = Buffer.from(signed.payload.toString().replace('"optional":null', '"optional":{}'));
    for (const b of [tampered, noAnnotation]) await client.pushBlob(repo, b);
    const config = Buffer.from('{}');
    await client.pushBlob(repo, config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI,
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          size: config.length,
          digest: sha(config),
        },
        layers: [
          {
            mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
            size: tampered.length,
            digest: sha(tampered),
            annotations: { 'dev.cosignproject.cosign/signature': signed.signature },
          },
          {
            mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
            size: noAnnotation.length,
            digest: sha(noAnnotation),
          },
        ],
      }),
    );
    await client.pushManifest(repo, sigTag, manifest, OCI);
    const v = await verifyImageSignatures(`${repo}:tamper`, { keys: [alice.pub] }, { client });
    assert.equal(v.verified, false);
    assert.equal(v.reason, 'bad-signature');
    assert.deepEqual(
      v.signatures.map((s) => s.reason),
      ['bad-signature', 'bad-signature'],
    );
    assert.match(v.signatures[1]!.message, /no dev\.cosignproject\.cosign\/signature annotation/);
  });

  it('bounds hostile layers: a declared 1 GB payload is refused unread, an understated size is cut off', async () => {
    const img = await buildImage([{ h: 'hostile' }]);
    const digest = await push(client, repo, 'hostile', img);
    const good = await signImage(`${repo}:hostile`, alice.key, { client });
    const big = Buffer.alloc(5 * 1024 * 1024, 0x41);
    await client.pushBlob(repo, big);
    const config = Buffer.from('{}');
    await client.pushBlob(repo, config);
    const sigLayer = (
      JSON.parse((await rawGet(reg.host, `/v2/demo/app/manifests/${good.signatureTag}`)).toString()) as {
        layers: unknown[];
      }
    ).layers[0];
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI,
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 2, digest: sha(config) },
        layers: [
          // 1 GB declared: must be refused from the descriptor alone, before a byte is read
          {
            mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
            size: 1024 ** 3,
            digest: sha(big),
            annotations: { 'dev.cosignproject.cosign/signature': good.signature },
          },
          // 5 MiB blob declared as 100 bytes: reading stops at the declared size
          {
            mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
            size: 100,
            digest: sha(big),
            annotations: { 'dev.cosignproject.cosign/signature': good.signature },
          },
          sigLayer,
        ],
      }),
    );
    await client.pushManifest(repo, `sha256-${digest.slice(7)}.sig`, manifest, OCI);
    const started = Date.now();
    const v = await verifyImageSignatures(`${repo}:hostile`, { keys: [alice.pub] }, { client });
    assert.ok(Date.now() - started < 5000);
    assert.equal(v.verified, true, 'the good signature still verifies');
    assert.deepEqual(
      v.signatures.map((s) => s.reason ?? 'ok'),
      ['limit-exceeded', 'limit-exceeded', 'ok'],
    );
  });
});
