// Certificate-based signatures with a real openssl-made PKI: chains built to the given root (and
// agreeing with `openssl verify`), expiry, code signing, identity and OIDC issuer constraints, on
// a real registry through the CLI.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/core/errors.js';
import { RegistryClient } from '../../src/registry/index.js';
import { loadCertificates, trustFromChain, verifyCertificate } from '../../src/sign/index.js';
import { runCli } from '../cli/helpers.js';
import { buildImage, startRegistry, type RunningRegistry } from '../registry/helpers.js';
import { execFileP, tempDir } from './helpers.js';
import { makePki, type Pki } from './pki.js';

const one = (pem: string) => loadCertificates(pem, 'cert')[0]!;

async function opensslVerifies(pki: Pki, rootPem: string, leafFile: string): Promise<boolean> {
  const root = path.join(pki.dir, `verify-root-${Math.random()}.pem`);
  const inter = path.join(pki.dir, 'verify-inter.pem');
  await writeFile(root, rootPem);
  await writeFile(inter, pki.intermediatePem);
  try {
    await execFileP('openssl', ['verify', '-purpose', 'any', '-CAfile', root, '-untrusted', inter, leafFile]);
    return true;
  } catch {
    return false;
  }
}

describe('X.509 certificate checks', () => {
  let pki: Pki;
  before(async () => {
    pki = await makePki(await tempDir('pki'));
  });
  after(async () => {
    if (pki) await rm(pki.dir, { recursive: true, force: true });
  });

  it('builds the chain to the given root, as openssl verify does, and shows SANs, issuer and OIDC issuer', async () => {
    const trust = trustFromChain(loadCertificates(pki.chainPem, 'chain'));
    const r = verifyCertificate(one(pki.leaf.certPem), [], trust, new Date());
    assert.equal(r.ok, true, r.ok ? '' : r.message);
    assert.equal(await opensslVerifies(pki, pki.rootPem, pki.leaf.certFile), true);
    assert.deepEqual(r.summary.sans, [
      'email:ci@example.com',
      'URI:https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main',
    ]);
    assert.equal(r.summary.oidcIssuer, 'https://token.actions.githubusercontent.com');
    assert.match(r.summary.issuer, /CN=Test Intermediate/);
    assert.equal(r.summary.chain?.length, 3);
    assert.match(r.summary.chain[1]!, /CN=Test Intermediate/);
    assert.match(r.summary.chain[2]!, /CN=Test Root/);
  });

  it('rejects a chain to another root (openssl agrees), an expired leaf, and a leaf without code signing', async () => {
    const otherTrust = { roots: [one(pki.otherRootPem)], intermediates: [one(pki.intermediatePem)] };
    const other = verifyCertificate(one(pki.leaf.certPem), [], otherTrust, new Date());
    assert.equal(other.ok ? 'ok' : other.reason, 'certificate-untrusted');
    assert.equal(await opensslVerifies(pki, pki.otherRootPem, pki.leaf.certFile), false);

    const trust = trustFromChain(loadCertificates(pki.chainPem, 'chain'));
    const expired = verifyCertificate(one(pki.expired.certPem), [], trust, new Date());
    assert.equal(expired.ok ? 'ok' : expired.reason, 'certificate-expired');
    assert.equal(await opensslVerifies(pki, pki.rootPem, pki.expired.certFile), false);

    const nocs = verifyCertificate(one(pki.noCodeSigning.certPem), [], trust, new Date());
    assert.equal(nocs.ok ? 'ok' : nocs.reason, 'certificate-untrusted');
    assert.match(nocs.ok ? '' : nocs.message, /code signing/);
  });

  it('matches --certificate-identity and --certificate-oidc-issuer exactly, or by regexp', () => {
    const chain = loadCertificates(pki.chainPem, 'chain');
    const leaf = one(pki.leaf.certPem);
    const check = (c: Parameters<typeof trustFromChain>[1]) =>
      verifyCertificate(leaf, [], trustFromChain(chain, c), new Date()).ok;
    assert.equal(
      check({ identity: 'ci@example.com', oidcIssuer: 'https://token.actions.githubusercontent.com' }),
      true,
    );
    assert.equal(
      check({ identity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main' }),
      true,
    );
    assert.equal(check({ identityRegexp: /^https:\/\/github\.com\/acme\// }), true);
    assert.equal(check({ identity: 'ci@example.org' }), false);
    assert.equal(check({ oidcIssuer: 'https://accounts.google.com' }), false);
    assert.equal(check({ oidcIssuerRegexp: /githubusercontent/ }), true);
  });
});

describe('certificate-signed images on a real registry', () => {
  let pki: Pki;
  let reg: RunningRegistry;
  let client: RegistryClient;
  let dir: string;
  let repo: string;

  before(async () => {
    dir = await tempDir('x509-reg');
    pki = await makePki(dir);
    reg = await startRegistry();
    client = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 } });
    repo = `${reg.host}/team/api`;
    for (const [tag, files] of [
      ['good', { a: '1' }],
      ['old', { a: '2' }],
    ] as const) {
      const img = await buildImage([files]);
      for (const l of img.layers) await client.pushBlob(repo, l.blob);
      await client.pushBlob(repo, img.config);
      await client.pushManifest(repo, tag, img.manifest, img.mediaType);
    }
    await writeFile(path.join(dir, 'chain.pem'), pki.chainPem);
    await writeFile(path.join(dir, 'other-root.pem'), pki.otherRootPem);
  });
  after(async () => {
    client?.close();
    await reg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs with --cert/--cert-chain (cosign annotations) and verifies with each reason and exit code', async () => {
    const chain = path.join(dir, 'chain.pem');
    const signed = await runCli([
      'sign',
      '--key',
      pki.leaf.keyFile,
      '--cert',
      pki.leaf.certFile,
      '--cert-chain',
      chain,
      `${repo}:good`,
    ]);
    assert.equal(signed.code, 0, signed.stderr);
    const expiredSign = await runCli([
      'sign',
      '--key',
      pki.expired.keyFile,
      '--cert',
      pki.expired.certFile,
      '--cert-chain',
      chain,
      `${repo}:old`,
    ]);
    assert.equal(expiredSign.code, 0, expiredSign.stderr);

    // the layer carries the certificate and chain annotations, as cosign's do
    const tags = (await client.listTags(repo)).filter((t) => t.endsWith('.sig'));
    assert.equal(tags.length, 2);
    const m = await client.getManifest(repo, tags[0]!);
    const ann = (m.json as { layers: { annotations: Record<string, string> }[] }).layers[0]!.annotations;
    assert.deepEqual(Object.keys(ann), [
      'dev.cosignproject.cosign/signature',
      'dev.sigstore.cosign/certificate',
      'dev.sigstore.cosign/chain',
    ]);
    assert.equal(ann['dev.sigstore.cosign/chain'], pki.chainPem);

    const ok = await runCli([
      'verify',
      '--cert-chain',
      chain,
      '--certificate-identity',
      'ci@example.com',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      `${repo}:good`,
    ]);
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    assert.match(ok.stdout, /SANs: +email:ci@example\.com, URI:https:\/\/github\.com\/acme/);
    assert.match(ok.stdout, /OIDC issuer: https:\/\/token\.actions\.githubusercontent\.com/);
    assert.match(ok.stdout, /issuer: +.*CN=Test Intermediate/);

    const identity = await runCli([
      'verify',
      '--cert-chain',
      chain,
      '--certificate-identity',
      'someone@example.com',
      `${repo}:good`,
    ]);
    assert.equal(identity.code, ERROR_CODES.CERTIFICATE_UNTRUSTED);
    const otherRoot = await runCli([
      'verify',
      '--ca-roots',
      path.join(dir, 'other-root.pem'),
      `${repo}:good`,
    ]);
    assert.equal(otherRoot.code, ERROR_CODES.CERTIFICATE_UNTRUSTED);
    assert.match(otherRoot.stdout, /does not chain to a trusted root/);
    const expired = await runCli(['verify', '--cert-chain', chain, `${repo}:old`]);
    assert.equal(expired.code, ERROR_CODES.CERTIFICATE_EXPIRED);

    // a --key that is not the certificate's: the attached certificate shows who signed
    const pub = path.join(dir, 'some.pub');
    await execFileP('openssl', ['pkey', '-pubout', '-in', pki.expired.keyFile, '-out', pub]);
    const wrong = await runCli(['verify', '--key', pub, '--format', 'json', `${repo}:good`]);
    assert.equal(wrong.code, ERROR_CODES.SIGNATURE_WRONG_KEY);
    assert.equal((JSON.parse(wrong.stdout) as { reason: string }).reason, 'wrong-key');

    // --cert names the certificate to use; a certificate for another key does not verify
    const explicit = await runCli([
      'verify',
      '--cert',
      pki.leaf.certFile,
      '--cert-chain',
      chain,
      `${repo}:good`,
    ]);
    assert.equal(explicit.code, 0, explicit.stdout);
    const mismatch = await runCli([
      'verify',
      '--cert',
      pki.expired.certFile,
      '--cert-chain',
      chain,
      `${repo}:good`,
    ]);
    assert.equal(mismatch.code, ERROR_CODES.SIGNATURE_INVALID);

    // signing refuses a certificate whose key is not the signing key
    const refuse = await runCli([
      'sign',
      '--key',
      pki.leaf.keyFile,
      '--cert',
      pki.expired.certFile,
      `${repo}:good`,
    ]);
    assert.equal(refuse.code, ERROR_CODES.KEY_INVALID);
    assert.ok((await readFile(pki.leaf.keyFile, 'utf8')).includes('PRIVATE KEY'));
  });
});
