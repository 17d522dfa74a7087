/**
 * cosign's encrypted private key: the PKCS#8 DER of the key sealed with NaCl secretbox under a
 * key derived by scrypt from the password, as JSON (go-securesystemslib `encrypted`):
 *   {"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":"..."},
 *    "cipher":{"name":"nacl/secretbox","nonce":"..."},"ciphertext":"..."}
 * inside a PEM block `ENCRYPTED SIGSTORE PRIVATE KEY` (older cosign: `ENCRYPTED COSIGN PRIVATE KEY`).
 */
import { randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import nacl from 'tweetnacl';
import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';
import { decodeBase64, goJson, parseBoundedJson } from './encoding.js';

export const SIGSTORE_KEY_PEM_TYPE = 'ENCRYPTED SIGSTORE PRIVATE KEY';
export const COSIGN_KEY_PEM_TYPE = 'ENCRYPTED COSIGN PRIVATE KEY';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * The only parameter sets accepted on read, as go-securesystemslib checks them: anything else
 * could make a hostile key file cost gigabytes of memory. Writing uses `standard`, as cosign does.
 */
export const SCRYPT_PARAMS = {
  legacy: { N: 32768, r: 8, p: 1 },
  standard: { N: 65536, r: 8, p: 1 },
  owasp: { N: 131072, r: 8, p: 1 },
} as const satisfies Record<string, ScryptParams>;

const SALT_BYTES = 32;
const KEY_BYTES = 32;
const NONCE_BYTES = nacl.secretbox.nonceLength;

const envelopeSchema = z.object({
  kdf: z.object({
    name: z.string(),
    params: z.object({ N: z.number().int(), r: z.number().int(), p: z.number().int() }),
    salt: z.string(),
  }),
  cipher: z.object({ name: z.string(), nonce: z.string() }),
  ciphertext: z.string(),
});

function deriveKey(password: Buffer, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const opts: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, KEY_BYTES, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Seals `plaintext` (a PKCS#8 DER key) under `password`; returns the JSON cosign stores. */
export async function encryptKey(
  plaintext: Buffer,
  password: Buffer,
  params: ScryptParams = SCRYPT_PARAMS.standard,
): Promise<Buffer> {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const key = await deriveKey(password, salt, params);
  const sealed = Buffer.from(nacl.secretbox(plaintext, nonce, key));
  // Field order and base64 as Go marshals the struct (std encoding with padding).
  return Buffer.from(
    goJson({
      kdf: {
        name: 'scrypt',
        params: { N: params.N, r: params.r, p: params.p },
        salt: salt.toString('base64'),
      },
      cipher: { name: 'nacl/secretbox', nonce: nonce.toString('base64') },
      ciphertext: sealed.toString('base64'),
    }),
  );
}

/** Opens cosign's JSON envelope; KEY_INVALID for a wrong password, MALFORMED_INPUT for a bad file. */
export async function decryptKey(envelope: Buffer, password: Buffer, input: string): Promise<Buffer> {
  const parsed = envelopeSchema.safeParse(
    parseBoundedJson(envelope, input, { maxBytes: 64 * 1024, maxDepth: 8 }),
  );
  if (!parsed.success) {
    throw new BulwarkError(
      'MALFORMED_INPUT',
      "encrypted key is not cosign's {kdf, cipher, ciphertext} JSON",
      {
        input,
      },
    );
  }
  const { kdf, cipher, ciphertext } = parsed.data;
  if (kdf.name !== 'scrypt')
    throw new BulwarkError('UNSUPPORTED', `unknown key derivation "${kdf.name}"`, { input });
  if (cipher.name !== 'nacl/secretbox') {
    throw new BulwarkError('UNSUPPORTED', `unknown cipher "${cipher.name}"`, { input });
  }
  const known = Object.values(SCRYPT_PARAMS).some(
    (p) => p.N === kdf.params.N && p.r === kdf.params.r && p.p === kdf.params.p,
  );
  if (!known) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `unsupported scrypt parameters N=${kdf.params.N} r=${kdf.params.r} p=${kdf.params.p}`,
      { input },
    );
  }
  const salt = decodeBase64(kdf.salt, 'salt', input);
  const nonce = decodeBase64(cipher.nonce, 'nonce', input);
  if (nonce.length !== NONCE_BYTES) {
    throw new BulwarkError('MALFORMED_INPUT', `nonce is ${nonce.length} bytes, not ${NONCE_BYTES}`, {
      input,
    });
  }
  const key = await deriveKey(password, salt, kdf.params);
  const opened = nacl.secretbox.open(decodeBase64(ciphertext, 'ciphertext', input), nonce, key);
  if (!opened) throw new BulwarkError('KEY_INVALID', 'wrong password (decryption failed)', { input });
  return Buffer.from(opened);
}
