// Blob signatures cross-checked with openssl both ways, cosign's own DSSE attestation verified, and
// the sign-blob / verify-blob / key commands end to end with their exit codes.
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/core/errors.js';
import {
  loadPrivateKey,
  loadPublicKey,
  signBlob,
  verifyBlob,
  decodeSignatureFile,
} from '../../src/sign/index.js';
import { openEnvelope } from '../../src/sign/dsse.js';
import { verifyBytes } from '../../src/sign/signature.js';
import { hasStackTrace, runCli } from '../cli/helpers.js';
import { fixture, fixtureText, passwordOf, run, tempDir } from './helpers.js';

describe('blob signatures against openssl', () => {
  let dir: string;
  let keyFile: string;
  let pubFile: string;
  const data = Buffer.from('release artefact\n'.repeat(1000));

  before(async () => {
    dir = await tempDir('blob');
    keyFile = path.join(dir, 'ec.pem');
    pubFile = path.join(dir, 'ec.pub');
    await writeFile(
      keyFile,
      await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']),
    );
    await writeFile(pubFile, await run('openssl', ['pkey', '-pubout', '-in', keyFile]));
    await writeFile(path.join(dir, 'data'), data);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a bulwark signature verifies with openssl dgst -sha256 -verify', async () => {
    const key = await loadPrivateKey(await readFile(keyFile, 'utf8'), passwordOf(''), keyFile);
    const b64 = signBlob(key, data);
    await writeFile(path.join(dir, 'sig.der'), Buffer.from(b64, 'base64'));
    const out = await run('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      pubFile,
      '-signature',
      path.join(dir, 'sig.der'),
      path.join(dir, 'data'),
    ]);
    assert.equal(out.toString().trim(), 'Verified OK');
    // and openssl refuses it for other data, so the check above can fail
    await writeFile(path.join(dir, 'other'), 'other');
    await assert.rejects(
      run('openssl', [
        'dgst',
        '-sha256',
        '-verify',
        pubFile,
        '-signature',
        path.join(dir, 'sig.der'),
        path.join(dir, 'other'),
      ]),
    );
  });

  it('an openssl signature (raw DER or base64) verifies in bulwark, and not over other data', async () => {
    const der = await run('openssl', ['dgst', '-sha256', '-sign', keyFile, path.join(dir, 'data')]);
    const pub = loadPublicKey(await readFile(pubFile, 'utf8'), pubFile);
    for (const file of [der, Buffer.from(der.toString('base64'))]) {
      const sig = decodeSignatureFile(file, 'sig');
      assert.equal(verifyBlob(data, sig, { keys: [pub] }, { input: 'data' }).verified, true);
      const bad = verifyBlob(Buffer.from('x'), sig, { keys: [pub] }, { input: 'data' });
      assert.equal(bad.verified, false);
      assert.equal(bad.reason, 'bad-signature');
    }
  });

  it('names the known key that did sign when it is not the trusted one (wrong-key)', async () => {
    const key = await loadPrivateKey(await readFile(keyFile, 'utf8'), passwordOf(''), keyFile);
    const sig = Buffer.from(signBlob(key, data), 'base64');
    const other = loadPublicKey(await fixtureText('cosign', 'attest-blob.pub'), 'other.pub');
    const mine = loadPublicKey(await readFile(pubFile, 'utf8'), pubFile, 'release');
    const r = verifyBlob(data, sig, { keys: [other], knownKeys: [mine] }, { input: 'data' });
    assert.equal(r.reason, 'wrong-key');
    assert.match(r.message, /"release"/);
  });
});

describe("cosign's published DSSE attestation", () => {
  it('verifies over PAE with its public key; a changed payload does not', async () => {
    const env = openEnvelope(await readFile(fixture('cosign', 'attest-blob.dsse.json')), 'dsse');
    const pub = loadPublicKey(await fixtureText('cosign', 'attest-blob.pub'), 'attest-blob.pub');
    assert.equal(env.payloadType, 'application/vnd.in-toto+json');
    assert.equal(verifyBytes(pub, env.pae, env.signatures[0]!), true);
    const statement = JSON.parse(env.body.toString()) as { subject: { digest: { sha256: string } }[] };
    const { createHash } = await import('node:crypto');
    const blob = await readFile(fixture('cosign', 'attest-blob.txt'));
    assert.equal(statement.subject[0]!.digest.sha256, createHash('sha256').update(blob).digest('hex'));
    const tampered = Buffer.from(env.pae);
    tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
    assert.equal(verifyBytes(pub, tampered, env.signatures[0]!), false);
  });
});

describe('key, sign-blob and verify-blob commands', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir('blob-cli');
    await writeFile(path.join(dir, 'file.txt'), 'hello world\n');
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('generates, signs and verifies; the wrong file and a missing password have their exit codes', async () => {
    const env = { COSIGN_PASSWORD: 'pw' };
    const prefix = path.join(dir, 'release');
    const gen = await runCli(['key', 'generate', '--output-key-prefix', prefix], env);
    assert.equal(gen.code, 0, gen.stderr);
    assert.match(gen.stdout, /Private key written to .*release\.key/);
    const pubText = await readFile(`${prefix}.pub`, 'utf8');
    const pub = await runCli(['key', 'public', '--key', `${prefix}.key`], { BULWARK_PASSWORD: 'pw' });
    assert.equal(pub.code, 0, pub.stderr);
    assert.equal(pub.stdout, pubText);

    const signed = await runCli(
      [
        'sign-blob',
        '--key',
        `${prefix}.key`,
        '--output-signature',
        path.join(dir, 'f.sig'),
        path.join(dir, 'file.txt'),
      ],
      env,
    );
    assert.equal(signed.code, 0, signed.stderr);
    assert.equal(signed.stdout.trim(), (await readFile(path.join(dir, 'f.sig'), 'utf8')).trim());
    const ok = await runCli([
      'verify-blob',
      '--key',
      `${prefix}.pub`,
      '--signature',
      path.join(dir, 'f.sig'),
      path.join(dir, 'file.txt'),
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^Verified OK/);
    // the base64 text itself works as --signature too
    const inline = await runCli([
      'verify-blob',
      '--key',
      `${prefix}.pub`,
      '--signature',
      signed.stdout.trim(),
      path.join(dir, 'file.txt'),
      '--format',
      'json',
    ]);
    assert.equal((JSON.parse(inline.stdout) as { verified: boolean }).verified, true);

    await writeFile(path.join(dir, 'other.txt'), 'hello world!\n');
    const bad = await runCli([
      'verify-blob',
      '--key',
      `${prefix}.pub`,
      '--signature',
      path.join(dir, 'f.sig'),
      path.join(dir, 'other.txt'),
    ]);
    assert.equal(bad.code, ERROR_CODES.SIGNATURE_INVALID);
    assert.match(bad.stderr, /error\[SIGNATURE_INVALID\]/);

    const noPw = await runCli(['sign-blob', '--key', `${prefix}.key`, path.join(dir, 'file.txt')]);
    assert.equal(noPw.code, ERROR_CODES.KEY_INVALID);
    assert.match(noPw.stderr, /COSIGN_PASSWORD/);
    const again = await runCli(['key', 'generate', '--output-key-prefix', prefix], env);
    assert.equal(again.code, ERROR_CODES.USAGE);
    for (const r of [gen, pub, signed, ok, bad, noPw, again]) assert.ok(!hasStackTrace(r.stderr));
  });

  it('asks for the password twice on a terminal (a real pty), hiding it', async () => {
    // python's pty gives the CLI a real terminal; it answers the prompts like a user would
    const script = `
import os, pty, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
answered = 0
while True:
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
    if out.count(b'Enter password for private key') > answered:
        answered += 1
        time.sleep(0.1)
        os.write(fd, b'tty-pw\\r')
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`;
    const prefix = path.join(dir, 'tty');
    const out = await run('/usr/bin/python3', [
      '-c',
      script,
      process.execPath,
      '--import',
      'tsx',
      path.resolve('test/cli/run-cli.ts'),
      'key',
      'generate',
      '--output-key-prefix',
      prefix,
    ]);
    const text = out.toString();
    assert.match(text, /Enter password for private key: /);
    assert.match(text, /Enter password for private key again: /);
    assert.ok(!text.includes('tty-pw'), 'the password is not echoed');
    const key = await loadPrivateKey(
      await readFile(`${prefix}.key`, 'utf8'),
      passwordOf('tty-pw'),
      'tty.key',
    );
    assert.equal(key.algorithm, 'ecdsa-p256');
  });
});
