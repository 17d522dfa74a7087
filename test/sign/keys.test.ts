// Keys in cosign's format, cross-checked with independent implementations: Python's hashlib.scrypt
// + PyNaCl open what bulwark seals and seal what bulwark opens, openssl reads the keys inside, and
// cosign's own published test keys load.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import {
  SIGSTORE_KEY_PEM_TYPE,
  fingerprintOf,
  generateKeyPair,
  loadPrivateKey,
  loadPublicKey,
  publicKeyPem,
  signBytes,
  verifyBytes,
} from '../../src/sign/index.js';
import { PYTHON, fixtureText, passwordOf, run, tempDir } from './helpers.js';

const isCode = (code: string) => (e: unknown) => e instanceof BulwarkError && e.code === code;

// Opens cosign's envelope the way go-securesystemslib does, with nothing of bulwark's.
const PY_DECRYPT = `
import base64, hashlib, json, sys
import nacl.secret
pem = sys.stdin.read()
body = ''.join(l for l in pem.splitlines() if l and not l.startswith('-----'))
env = json.loads(base64.b64decode(body))
assert env['kdf']['name'] == 'scrypt' and env['cipher']['name'] == 'nacl/secretbox'
p = env['kdf']['params']
key = hashlib.scrypt(sys.argv[1].encode(), salt=base64.b64decode(env['kdf']['salt']), n=p['N'], r=p['r'], p=p['p'], maxmem=2**28, dklen=32)
plain = nacl.secret.SecretBox(key).decrypt(base64.b64decode(env['ciphertext']), base64.b64decode(env['cipher']['nonce']))
sys.stdout.write(json.dumps({'params': p, 'salt': len(base64.b64decode(env['kdf']['salt'])), 'nonce': len(base64.b64decode(env['cipher']['nonce'])), 'der': plain.hex(), 'keys': list(env.keys())}))
`;

// Seals a PKCS#8 DER (stdin) as cosign would, in Python.
const PY_ENCRYPT = `
import base64, hashlib, json, os, sys
import nacl.secret
der = sys.stdin.buffer.read()
salt, nonce = os.urandom(32), os.urandom(24)
key = hashlib.scrypt(sys.argv[1].encode(), salt=salt, n=32768, r=8, p=1, maxmem=2**28, dklen=32)
ct = nacl.secret.SecretBox(key).encrypt(der, nonce).ciphertext
env = {'kdf': {'name': 'scrypt', 'params': {'N': 32768, 'r': 8, 'p': 1}, 'salt': base64.b64encode(salt).decode()},
       'cipher': {'name': 'nacl/secretbox', 'nonce': base64.b64encode(nonce).decode()},
       'ciphertext': base64.b64encode(ct).decode()}
b = base64.b64encode(json.dumps(env).encode()).decode()
print('-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----')
for i in range(0, len(b), 64): print(b[i:i+64])
print('-----END ENCRYPTED SIGSTORE PRIVATE KEY-----')
`;

describe('cosign encrypted keys', () => {
  it('writes a key Python (hashlib.scrypt + PyNaCl) decrypts to the PKCS#8 openssl reads', async () => {
    const pair = await generateKeyPair(Buffer.from('correct horse'));
    assert.match(pair.privatePem, new RegExp(`^-----BEGIN ${SIGSTORE_KEY_PEM_TYPE}-----\\n`));
    assert.ok(
      pair.privatePem.split('\n').every((l) => l.length <= 64),
      'PEM lines of 64 columns, as Go writes them',
    );
    const out = JSON.parse(
      (await run(PYTHON, ['-c', PY_DECRYPT, 'correct horse'], pair.privatePem)).toString(),
    ) as { params: unknown; salt: number; nonce: number; der: string; keys: string[] };
    // cosign's current parameters and sizes, and its field order
    assert.deepEqual(out.params, { N: 65536, r: 8, p: 1 });
    assert.equal(out.salt, 32);
    assert.equal(out.nonce, 24);
    assert.deepEqual(out.keys, ['kdf', 'cipher', 'ciphertext']);
    // the plaintext is a PKCS#8 P-256 key whose public half is the .pub written beside it
    const pubFromOpenssl = await run(
      'openssl',
      ['pkey', '-inform', 'DER', '-pubout'],
      Buffer.from(out.der, 'hex'),
    );
    assert.equal(pubFromOpenssl.toString(), pair.publicPem);
    const text = await run(
      'openssl',
      ['pkey', '-inform', 'DER', '-noout', '-text'],
      Buffer.from(out.der, 'hex'),
    );
    assert.match(text.toString(), /ASN1 OID: prime256v1/);
  });

  it('loads a key encrypted in Python from an openssl-generated PKCS#8', async () => {
    const der = await run('openssl', [
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-outform',
      'DER',
    ]);
    const pem = (await run(PYTHON, ['-c', PY_ENCRYPT, 's3cret'], der)).toString();
    const key = await loadPrivateKey(pem, passwordOf('s3cret'), 'py.key');
    assert.equal(key.algorithm, 'ecdsa-p256');
    const opensslPub = (await run('openssl', ['pkey', '-inform', 'DER', '-pubout'], der)).toString();
    assert.equal(publicKeyPem(key.publicKey), opensslPub);
    await assert.rejects(loadPrivateKey(pem, passwordOf('wrong'), 'py.key'), isCode('KEY_INVALID'));
  });

  it('round-trips its own keys and refuses a wrong or missing password', async () => {
    const pair = await generateKeyPair(Buffer.from(''));
    const key = await loadPrivateKey(pair.privatePem, passwordOf(''), 'k');
    assert.equal(fingerprintOf(key.publicKey), fingerprintOf(createPublicKey(pair.publicPem)));
    await assert.rejects(loadPrivateKey(pair.privatePem, passwordOf('x'), 'k'), isCode('KEY_INVALID'));
    const noPassword = () => Promise.reject(new BulwarkError('KEY_INVALID', 'no password'));
    await assert.rejects(loadPrivateKey(pair.privatePem, noPassword, 'k'), isCode('KEY_INVALID'));
  });

  it("loads cosign's published test keys (password hello)", async () => {
    const sigstore = await loadPrivateKey(
      await fixtureText('cosign', 'sigstore.key'),
      passwordOf('hello'),
      'sigstore.key',
    );
    const legacy = await loadPrivateKey(
      await fixtureText('cosign', 'cosign-legacy.key'),
      passwordOf('hello'),
      'legacy.key',
    );
    const sec1 = await loadPrivateKey(
      await fixtureText('cosign', 'cosign-ec-sec1.key'),
      passwordOf('hello'),
      'ec.key',
    );
    for (const k of [sigstore, legacy, sec1]) assert.equal(k.algorithm, 'ecdsa-p256');
    assert.equal(legacy.format, 'ENCRYPTED COSIGN PRIVATE KEY');
    for (const k of [sigstore, legacy, sec1]) {
      const sig = signBytes(k, Buffer.from('payload'));
      assert.ok(verifyBytes({ publicKey: k.publicKey, algorithm: k.algorithm }, Buffer.from('payload'), sig));
    }
    await assert.rejects(
      loadPrivateKey(await fixtureText('cosign', 'sigstore.key'), passwordOf('hellO'), 'sigstore.key'),
      isCode('KEY_INVALID'),
    );
  });

  it('refuses scrypt parameters outside the three cosign accepts without deriving anything', async () => {
    const env = {
      kdf: { name: 'scrypt', params: { N: 2 ** 30, r: 8, p: 1 }, salt: Buffer.alloc(32).toString('base64') },
      cipher: { name: 'nacl/secretbox', nonce: Buffer.alloc(24).toString('base64') },
      ciphertext: Buffer.alloc(64).toString('base64'),
    };
    const pem = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n${Buffer.from(JSON.stringify(env)).toString('base64')}\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
    const started = Date.now();
    await assert.rejects(loadPrivateKey(pem, passwordOf('x'), 'bomb.key'), isCode('LIMIT_EXCEEDED'));
    assert.ok(Date.now() - started < 2000);
    const garbage = `-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n`;
    await assert.rejects(loadPrivateKey(garbage, passwordOf('x'), 'g.key'), isCode('MALFORMED_INPUT'));
  });
});

describe('plain PEM keys', () => {
  it('reads SEC1, PKCS#8 and Ed25519 keys from cosign, never asking a password', async () => {
    const never = () => Promise.reject(new Error('asked for a password'));
    for (const [file, alg] of [
      ['ec-p256-sec1.pem', 'ecdsa-p256'],
      ['ec-p256-pkcs8.pem', 'ecdsa-p256'],
      ['ed25519-pkcs8.pem', 'ed25519'],
    ] as const) {
      const key = await loadPrivateKey(await fixtureText('cosign', file), never, file);
      assert.equal(key.algorithm, alg, file);
    }
  });

  it('refuses what cosign refuses: P-224, and texts without a key', async () => {
    await assert.rejects(
      loadPrivateKey(await fixtureText('cosign', 'ec-p224-sec1.pem'), passwordOf(''), 'p224'),
      isCode('KEY_INVALID'),
    );
    await assert.rejects(loadPrivateKey('hello', passwordOf(''), 'x'), isCode('MALFORMED_INPUT'));
    assert.throws(() => loadPublicKey('nothing', 'x'), isCode('MALFORMED_INPUT'));
  });

  it('reads a public key from a PKIX PEM and from a certificate', async () => {
    const dir = await tempDir('pub');
    const keyFile = path.join(dir, 'k.pem');
    await writeFile(
      keyFile,
      await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']),
    );
    const pub = (await run('openssl', ['pkey', '-pubout', '-in', keyFile])).toString();
    const cert = (
      await run('openssl', ['req', '-x509', '-key', keyFile, '-subj', '/CN=t', '-days', '1'])
    ).toString();
    await rm(dir, { recursive: true, force: true });
    assert.equal(loadPublicKey(pub, 'p').fingerprint, loadPublicKey(cert, 'c').fingerprint);
  });
});
