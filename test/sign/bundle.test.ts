// Sigstore bundles verified offline with @sigstore/verify against a trusted-root file, on cosign's
// own recorded keyless attestation (Fulcio certificate, Rekor entry) and the public-good root it
// was made under; each way of breaking it is refused with its own reason and check.
import assert from 'node:assert/strict';
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES, isBulwarkError } from '../../src/core/errors.js';
import { verifyBundle, type BundleInputs } from '../../src/sign/index.js';
import { hasStackTrace, runCli } from '../cli/helpers.js';
import { fixture, tempDir } from './helpers.js';

const BUNDLE = fixture('cosign', 'oci-attestation.sigstore.json');
const ROOT = fixture('cosign', 'trusted_root_pgi.json');
const SIGNER = 'cody@soyland.com';
const ISSUER = 'https://github.com/login/oauth';

interface BundleJson {
  dsseEnvelope: { payload: string; signatures: { sig: string }[] };
}
interface RootJson {
  certificateAuthorities: { validFor: { end?: string } }[];
  tlogs: unknown[];
}

describe('Sigstore bundles offline', () => {
  let bundle: Buffer;
  let root: Buffer;
  let dir: string;
  const inputs = (over: Partial<BundleInputs> = {}): BundleInputs => ({
    bundle,
    bundleInput: 'b.json',
    trustedRoot: root,
    trustedRootInput: 'root.json',
    ...over,
  });

  before(async () => {
    bundle = await readFile(BUNDLE);
    root = await readFile(ROOT);
    dir = await tempDir('bundle');
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("verifies cosign's keyless attestation, with the signer's identity and the statement", async () => {
    const v = await verifyBundle(inputs(), { identity: SIGNER, oidcIssuer: ISSUER });
    assert.equal(v.verified, true, v.message);
    assert.equal(v.content, 'dsse');
    assert.deepEqual(v.signer, { subjectAlternativeName: SIGNER, issuer: ISSUER });
    assert.equal(v.statement?.predicateType, 'https://cosign.sigstore.dev/attestation/v1');
    assert.equal(
      v.statement?.subjects[0]?.sha256,
      '732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4',
    );
    assert.deepEqual(v.tlog, [{ logIndex: '175508996', integratedTime: '2025-02-28T19:18:11.000Z' }]);
    const re = await verifyBundle(inputs(), {
      identityRegexp: /@soyland\.com$/,
      oidcIssuerRegexp: /^https:\/\/github\.com\//,
    });
    assert.equal(re.verified, true);
  });

  it('refuses a tampered statement: its content no longer matches the log entry or the signature', async () => {
    const b = JSON.parse(bundle.toString()) as BundleJson;
    const statement = Buffer.from(b.dsseEnvelope.payload, 'base64')
      .toString()
      .replace('{\\"foo\\": \\"bar\\"}', '{\\"foo\\": \\"baz\\"}');
    assert.match(statement, /baz/);
    b.dsseEnvelope.payload = Buffer.from(statement).toString('base64');
    const v = await verifyBundle(inputs({ bundle: Buffer.from(JSON.stringify(b)) }));
    assert.equal(v.verified, false);
    assert.equal(v.reason, 'bad-signature');
    assert.equal(v.check, 'TLOG_BODY_ERROR');
  });

  it('refuses an artifact the attestation does not name', async () => {
    const v = await verifyBundle(
      inputs({ artifact: Buffer.from('some-payload'), artifactInput: 'attest-blob.txt' }),
    );
    assert.equal(v.verified, false);
    assert.equal(v.reason, 'digest-mismatch');
    assert.equal(v.check, 'SUBJECT');
    assert.match(v.message, /658781cd/);
  });

  it('refuses another identity or issuer, exact (sigstore-js policy) and by regexp', async () => {
    const exact = await verifyBundle(inputs(), { identity: 'someone@example.com' });
    assert.deepEqual([exact.reason, exact.check], ['certificate-untrusted', 'UNTRUSTED_SIGNER_ERROR']);
    const issuer = await verifyBundle(inputs(), {
      identity: SIGNER,
      oidcIssuer: 'https://accounts.google.com',
    });
    assert.deepEqual([issuer.reason, issuer.check], ['certificate-untrusted', 'UNTRUSTED_SIGNER_ERROR']);
    const re = await verifyBundle(inputs(), { identityRegexp: /@example\.com$/ });
    assert.deepEqual([re.reason, re.check], ['certificate-untrusted', 'IDENTITY']);
  });

  it('refuses a trusted root without the issuing CA, or without the transparency log', async () => {
    const r = JSON.parse(root.toString()) as RootJson;
    // keep only the 2021-2022 Fulcio CA: the 2025 certificate does not chain to it
    const oldCaOnly = {
      ...r,
      certificateAuthorities: r.certificateAuthorities.filter((c) => c.validFor.end),
    };
    assert.equal(oldCaOnly.certificateAuthorities.length, 1);
    const ca = await verifyBundle(inputs({ trustedRoot: Buffer.from(JSON.stringify(oldCaOnly)) }));
    assert.deepEqual(
      [ca.verified, ca.reason, ca.check],
      [false, 'certificate-untrusted', 'CERTIFICATE_ERROR'],
    );
    const noLog = await verifyBundle(
      inputs({ trustedRoot: Buffer.from(JSON.stringify({ ...r, tlogs: [] })) }),
    );
    assert.equal(noLog.verified, false);
    assert.equal(noLog.reason, 'certificate-untrusted');
    assert.notEqual(noLog.check, ca.check, 'a missing log is told apart from a missing CA');
  });

  it('bounds hostile bundles: a JSON bomb, a huge file, garbage, each a typed error naming the file', async () => {
    const bomb = Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    await assert.rejects(verifyBundle(inputs({ bundle: bomb })), (e: unknown) => {
      return isBulwarkError(e) && e.code === 'LIMIT_EXCEEDED' && e.input === 'b.json';
    });
    await assert.rejects(verifyBundle(inputs({ bundle: Buffer.from('{"mediaType":"x"}') })), (e: unknown) => {
      return isBulwarkError(e) && e.code === 'MALFORMED_INPUT' && e.input === 'b.json';
    });
    await assert.rejects(verifyBundle(inputs({ trustedRoot: Buffer.from('{}') })), (e: unknown) => {
      return isBulwarkError(e) && e.code === 'MALFORMED_INPUT' && e.input === 'root.json';
    });

    // a 1 GB (sparse) bundle file is refused from its size, never read
    const huge = path.join(dir, 'huge.json');
    await writeFile(huge, '{');
    await truncate(huge, 1024 ** 3);
    const r = await runCli(['verify-blob', '--bundle', huge, '--trusted-root', ROOT]);
    assert.equal(r.code, ERROR_CODES.LIMIT_EXCEEDED, r.stderr);
    assert.ok(r.stderr.includes(`error[LIMIT_EXCEEDED] ${huge}:`), r.stderr);
    assert.equal(hasStackTrace(r.stderr), false);
  });

  it('verify-blob --bundle: exit codes and JSON', async () => {
    const ok = await runCli([
      'verify-blob',
      '--bundle',
      BUNDLE,
      '--trusted-root',
      ROOT,
      '--certificate-identity',
      SIGNER,
      '--certificate-oidc-issuer',
      ISSUER,
      '--format',
      'json',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    const json = JSON.parse(ok.stdout) as { verified: boolean; signer: { subjectAlternativeName: string } };
    assert.equal(json.verified, true);
    assert.equal(json.signer.subjectAlternativeName, SIGNER);

    const wrong = await runCli([
      'verify-blob',
      '--bundle',
      BUNDLE,
      '--trusted-root',
      ROOT,
      '--certificate-identity',
      'x@example.com',
    ]);
    assert.equal(wrong.code, ERROR_CODES.CERTIFICATE_UNTRUSTED);
    assert.match(wrong.stdout, /Verification FAILED: \[certificate-untrusted UNTRUSTED_SIGNER_ERROR\]/);

    const file = await runCli([
      'verify-blob',
      '--bundle',
      BUNDLE,
      '--trusted-root',
      ROOT,
      fixture('cosign', 'attest-blob.txt'),
    ]);
    assert.equal(file.code, ERROR_CODES.SIGNATURE_DIGEST_MISMATCH);

    const noRoot = await runCli(['verify-blob', '--bundle', BUNDLE]);
    assert.equal(noRoot.code, ERROR_CODES.USAGE);
    const both = await runCli([
      'verify-blob',
      '--bundle',
      BUNDLE,
      '--trusted-root',
      ROOT,
      '--signature',
      'x',
    ]);
    assert.equal(both.code, ERROR_CODES.USAGE);
  });
});
