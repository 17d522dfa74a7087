// Attestations against a real docker-registry on loopback: the `.att` layout read raw (cosign's
// media type, annotations, appending), the DSSE signature checked with openssl over PAE, every
// refusal with its reason, cosign's own published envelope, and the SBOM round trip
// attest -> verify-attestation -> sbom scan on the bundled demo image.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/core/errors.js';
import { silentProgress } from '../../src/core/progress.js';
import { RegistryClient } from '../../src/registry/index.js';
import { demoImagePath, ensureDemoDatabase } from '../../src/scan/index.js';
import {
  attestImage,
  checkAttestation,
  generateKeyPair,
  loadPublicKey,
  PREDICATE_TYPES,
  verifyImageAttestations,
} from '../../src/sign/index.js';
import { pae } from '../../src/sign/dsse.js';
import { runCli } from '../cli/helpers.js';
import { buildImage, startRegistry, type BuiltImage, type RunningRegistry } from '../registry/helpers.js';
import { fixture, fixtureText, run, tempDir } from './helpers.js';

const OCI = 'application/vnd.oci.image.manifest.v1+json';
const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

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

interface Layer {
  mediaType: string;
  size: number;
  digest: string;
  annotations: Record<string, string>;
}

describe('attestations on a real registry', () => {
  let reg: RunningRegistry;
  let client: RegistryClient;
  let dir: string;
  let repo: string;
  let digest: string;
  let keyFile: string;
  let pubFile: string;
  let otherPub: string;
  let pub: ReturnType<typeof loadPublicKey>;
  let key: Awaited<ReturnType<typeof generateKeyPair>>['key'];
  const env = { COSIGN_PASSWORD: 'pw' };

  before(async () => {
    reg = await startRegistry();
    client = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 } });
    repo = `${reg.host}/demo/att`;
    digest = await push(client, repo, 'v1', await buildImage([{ 'etc/os-release': 'ID=debian\n' }]));
    dir = await tempDir('attest');
    const pair = await generateKeyPair(Buffer.from('pw'));
    key = pair.key;
    pub = loadPublicKey(pair.publicPem, 'att.pub');
    keyFile = path.join(dir, 'att.key');
    pubFile = path.join(dir, 'att.pub');
    await writeFile(keyFile, pair.privatePem);
    await writeFile(pubFile, pair.publicPem);
    otherPub = path.join(dir, 'other.pub');
    await writeFile(otherPub, (await generateKeyPair(Buffer.from('x'))).publicPem);
  });
  after(async () => {
    client?.close();
    await reg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("stores cosign's layout under .att: DSSE media type, empty signature and predicateType annotations, appended", async () => {
    const vex = path.join(dir, 'vex.json');
    await writeFile(vex, JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [] }));
    const first = await runCli(
      ['attest', '--key', keyFile, '--type', 'openvex', '--predicate', vex, `${repo}:v1`, '--format', 'json'],
      env,
    );
    assert.equal(first.code, 0, first.stderr);
    const note = path.join(dir, 'note.txt');
    await writeFile(note, 'reviewed by <ops> & security\n');
    const second = await runCli(['attest', '--key', keyFile, '--predicate', note, `${repo}:v1`], env);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /2 attestation\(s\)/);

    const tag = `sha256-${digest.slice(7)}.att`;
    assert.deepEqual((await client.listTags(repo)).sort(), [tag, 'v1'].sort());
    const manifest = JSON.parse((await rawGet(reg.host, `/v2/demo/att/manifests/${tag}`)).toString()) as {
      mediaType: string;
      layers: Layer[];
    };
    assert.equal(manifest.mediaType, OCI);
    assert.deepEqual(
      manifest.layers.map((l) => [l.mediaType, l.annotations]),
      [
        [
          'application/vnd.dsse.envelope.v1+json',
          { 'dev.cosignproject.cosign/signature': '', predicateType: 'https://openvex.dev/ns' },
        ],
        [
          'application/vnd.dsse.envelope.v1+json',
          {
            'dev.cosignproject.cosign/signature': '',
            predicateType: 'https://cosign.sigstore.dev/attestation/v1',
          },
        ],
      ],
    );
    // the envelope, its statement, and the signature over PAE checked with openssl
    const envelopeBytes = await rawGet(reg.host, `/v2/demo/att/blobs/${manifest.layers[1]!.digest}`);
    assert.equal(sha(envelopeBytes), manifest.layers[1]!.digest);
    const envelope = JSON.parse(envelopeBytes.toString()) as {
      payloadType: string;
      payload: string;
      signatures: { keyid: string; sig: string }[];
    };
    assert.deepEqual(Object.keys(envelope), ['payloadType', 'payload', 'signatures']);
    assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
    const body = Buffer.from(envelope.payload, 'base64');
    const statement = JSON.parse(body.toString()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(statement), ['_type', 'subject', 'predicateType', 'predicate']);
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
    assert.deepEqual(statement.subject, [{ name: repo, digest: { sha256: digest.slice(7) } }]);
    const predicate = statement.predicate as { Data: string; Timestamp: string };
    assert.equal(predicate.Data, 'reviewed by <ops> & security\n');
    assert.match(predicate.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(body.toString(), /\\u003cops\\u003e \\u0026/, "Go's JSON escaping");
    await writeFile(path.join(dir, 'pae'), pae(envelope.payloadType, body));
    await writeFile(path.join(dir, 'sig'), Buffer.from(envelope.signatures[0]!.sig, 'base64'));
    const ok = await run('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      pubFile,
      '-signature',
      path.join(dir, 'sig'),
      path.join(dir, 'pae'),
    ]);
    assert.equal(ok.toString().trim(), 'Verified OK');

    const v = await verifyImageAttestations(`${repo}:v1`, { keys: [pub] }, { client, type: 'openvex' });
    assert.equal(v.verified, true, v.message);
    assert.deepEqual(
      v.attestations.map((a) => [a.verified, a.skipped ?? false]),
      [
        [true, false],
        [false, true],
      ],
    );
  });

  it('refuses each way: no .att tag, another key, another type, a copied attestation, a tampered envelope', async () => {
    const verify = (args: string[]) => runCli(['verify-attestation', ...args, '--format', 'json']);
    const reasonOf = (out: string) => (JSON.parse(out) as { reason?: string }).reason;

    const unattested = await push(client, repo, 'bare', await buildImage([{ b: 'bare' }]));
    const none = await verify(['--key', pubFile, `${repo}:bare`]);
    assert.equal(none.code, ERROR_CODES.SIGNATURE_NOT_FOUND, none.stderr);
    assert.equal(reasonOf(none.stdout), 'no-signatures');

    const wrongKey = await verify(['--key', otherPub, '--type', 'openvex', `${repo}:v1`]);
    assert.equal(wrongKey.code, ERROR_CODES.SIGNATURE_INVALID);
    assert.equal(reasonOf(wrongKey.stdout), 'bad-signature');

    const type = await verify(['--key', pubFile, '--type', 'cyclonedx', `${repo}:v1`]);
    assert.equal(type.code, ERROR_CODES.SIGNATURE_NOT_FOUND);
    assert.match(
      (JSON.parse(type.stdout) as { message: string }).message,
      /no attestation of type https:\/\/cyclonedx\.org\/bom \(2 of other types\)/,
    );

    // v1's attestations copied under the bare image's .att tag: the statement names another digest
    const att = await rawGet(reg.host, `/v2/demo/att/manifests/sha256-${digest.slice(7)}.att`);
    await client.pushManifest(repo, `sha256-${unattested.slice(7)}.att`, att, OCI);
    const copied = await verify(['--key', pubFile, `${repo}:bare`]);
    assert.equal(copied.code, ERROR_CODES.SIGNATURE_DIGEST_MISMATCH, copied.stderr);
    assert.equal(reasonOf(copied.stdout), 'digest-mismatch');

    // a tampered statement under the original signature (pure check, no registry needed)
    const r = await attestImage(`${repo}:v1`, key, {
      client,
      type: 'cyclonedx',
      predicate: { bomFormat: 'CycloneDX' },
      upload: false,
    });
    const env = JSON.parse(r.envelope.toString()) as { payload: string };
    const forged = Buffer.from(
      JSON.stringify({
        ...env,
        payload: Buffer.from(
          Buffer.from(env.payload, 'base64').toString().replace('CycloneDX', 'Forged'),
        ).toString('base64'),
      }),
    );
    const layer = { digest: sha(forged), annotations: {} };
    assert.equal(checkAttestation(layer, 0, r.envelope, digest, { keys: [pub] }, 'x').verified, true);
    assert.equal(checkAttestation(layer, 0, forged, digest, { keys: [pub] }, 'x').reason, 'bad-signature');
    // a layer declaring 1 GB is refused from its descriptor
    const huge = await push(client, repo, 'huge', await buildImage([{ h: 'huge' }]));
    const config = Buffer.from('{}');
    await client.pushBlob(repo, config);
    await client.pushBlob(repo, Buffer.from('x'));
    await client.pushManifest(
      repo,
      `sha256-${huge.slice(7)}.att`,
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', size: 2, digest: sha(config) },
          layers: [
            {
              mediaType: 'application/vnd.dsse.envelope.v1+json',
              size: 1024 ** 3,
              digest: sha('x'),
              annotations: { 'dev.cosignproject.cosign/signature': '' },
            },
          ],
        }),
      ),
      OCI,
    );
    const big = await verifyImageAttestations(`${repo}:huge`, { keys: [pub] }, { client });
    assert.equal(big.reason, 'limit-exceeded');
  });

  it("verifies cosign's own published DSSE envelope", async () => {
    const cosignPub = loadPublicKey(await fixtureText('cosign', 'attest-blob.pub'), 'cosign-test.pub');
    const envelope = await readFile(fixture('cosign', 'attest-blob.dsse.json'));
    const blobDigest = sha(await readFile(fixture('cosign', 'attest-blob.txt')));
    const layer = { digest: sha(envelope), annotations: {} };
    const ok = checkAttestation(
      layer,
      0,
      envelope,
      blobDigest,
      { keys: [cosignPub] },
      'attest-blob.dsse.json',
    );
    assert.equal(ok.verified, true, ok.message);
    assert.equal(ok.predicateType, 'https://slsa.dev/provenance/v0.2');
    const other = checkAttestation(layer, 0, envelope, sha('other'), { keys: [cosignPub] }, 'x');
    assert.equal(other.reason, 'digest-mismatch');
    const wrong = checkAttestation(layer, 0, envelope, blobDigest, { keys: [pub] }, 'x');
    assert.equal(wrong.reason, 'bad-signature');
  });

  it('attests its own SBOM in one step and hands the verified predicate to sbom scan', async () => {
    const demoRepo = `${reg.host}/demo/app`;
    await run('skopeo', [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      `oci-archive:${demoImagePath()}`,
      `docker://${demoRepo}:1`,
    ]);
    const cache = path.join(dir, 'cache');
    const db = await ensureDemoDatabase(path.join(cache, 'bulwark'), silentProgress);
    const cliEnv = { ...env, XDG_CACHE_HOME: cache };
    const attest = await runCli(
      ['attest', '--key', keyFile, '--type', 'cyclonedx', `${demoRepo}:1`, '--format', 'json'],
      cliEnv,
    );
    assert.equal(attest.code, 0, attest.stderr);
    assert.equal(
      (JSON.parse(attest.stdout) as { predicateType: string }).predicateType,
      PREDICATE_TYPES.cyclonedx,
    );

    const sbom = path.join(dir, 'att.cdx.json');
    const verified = await runCli(
      ['verify-attestation', '--key', pubFile, '--type', 'cyclonedx', '-o', sbom, `${demoRepo}:1`],
      cliEnv,
    );
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /VERIFIED/);
    const doc = JSON.parse(await readFile(sbom, 'utf8')) as { bomFormat: string; components: unknown[] };
    assert.equal(doc.bomFormat, 'CycloneDX');
    assert.ok(doc.components.length > 0);

    type Report = { findings: { id: string; package: { name: string; version: string } }[] };
    const ids = (r: Report) => r.findings.map((f) => `${f.package.name} ${f.package.version} ${f.id}`).sort();
    const fromAttestation = await runCli(
      ['sbom', 'scan', sbom, '--db', db, '--max-db-age', '100000', '--format', 'json'],
      cliEnv,
    );
    assert.equal(fromAttestation.code, 0, fromAttestation.stderr);
    const direct = await runCli(
      [
        'image',
        '--input',
        demoImagePath(),
        '--db',
        db,
        '--max-db-age',
        '100000',
        '--format',
        'json',
        '--scanners',
        'vuln',
      ],
      cliEnv,
    );
    assert.equal(direct.code, 0, direct.stderr);
    const got = ids(JSON.parse(fromAttestation.stdout) as Report);
    assert.ok(got.length > 0, 'the demo image has known vulnerabilities');
    assert.deepEqual(got, ids(JSON.parse(direct.stdout) as Report));

    // the vulnerability report, made and attested in one step, in cosign's vuln predicate
    const vuln = await runCli(
      ['attest', '--key', keyFile, '--type', 'vuln', '--db', db, `${demoRepo}:1`],
      cliEnv,
    );
    assert.equal(vuln.code, 0, vuln.stderr);
    const out = await runCli(
      ['verify-attestation', '--key', pubFile, '--type', 'vuln', `${demoRepo}:1`],
      cliEnv,
    );
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /VERIFIED/);
    const predicate = JSON.parse(out.stdout) as {
      scanner: { version: string; result: Report };
      metadata: { scanStartedOn: string; scanFinishedOn: string };
    };
    assert.deepEqual(ids(predicate.scanner.result), got);
    assert.ok(predicate.metadata.scanFinishedOn >= predicate.metadata.scanStartedOn);
  });
});
