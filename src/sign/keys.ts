/**
 * Keys as cosign reads and writes them: its encrypted private key, plain PEM private keys
 * (PKCS#8, SEC1 `EC PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`) and PKIX public keys or certificates.
 * Key types follow cosign's: ECDSA P-256/384/521, RSA of 2048 bits or more, Ed25519.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { BulwarkError } from '../core/errors.js';
import { encodePem, parsePem } from './encoding.js';
import { COSIGN_KEY_PEM_TYPE, SIGSTORE_KEY_PEM_TYPE, decryptKey, encryptKey } from './encrypted-key.js';

export type KeyAlgorithm = 'ecdsa-p256' | 'ecdsa-p384' | 'ecdsa-p521' | 'rsa' | 'ed25519';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  algorithm: KeyAlgorithm;
  /** PEM type the key was read from */
  format: string;
}

export interface VerificationKey {
  publicKey: KeyObject;
  algorithm: KeyAlgorithm;
  /** how the key is named in output: a file path or a configuration name */
  name: string;
  /** `sha256:<hex>` of the PKIX DER, a stable id for output and caches */
  fingerprint: string;
}

/** Called only when the key turns out to be encrypted. */
export type PasswordSource = () => Promise<Buffer>;

const CURVES: Record<string, KeyAlgorithm> = {
  prime256v1: 'ecdsa-p256',
  secp384r1: 'ecdsa-p384',
  secp521r1: 'ecdsa-p521',
};

/** The algorithm of a key, or KEY_INVALID for types cosign refuses (P-224, secp256k1, small RSA). */
export function keyAlgorithm(key: KeyObject, input: string): KeyAlgorithm {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'ec': {
      const alg = CURVES[details.namedCurve ?? ''];
      if (!alg)
        throw new BulwarkError('KEY_INVALID', `unsupported EC curve ${details.namedCurve}`, { input });
      return alg;
    }
    case 'rsa':
      if ((details.modulusLength ?? 0) < 2048) {
        throw new BulwarkError('KEY_INVALID', `RSA key of ${details.modulusLength} bits is below 2048`, {
          input,
        });
      }
      return 'rsa';
    case 'ed25519':
      return 'ed25519';
    default:
      throw new BulwarkError('KEY_INVALID', `unsupported key type ${key.asymmetricKeyType}`, { input });
  }
}

export function fingerprintOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `sha256:${createHash('sha256').update(der).digest('hex')}`;
}

/** PKIX `PUBLIC KEY` PEM, as cosign writes `cosign.pub`. */
export function publicKeyPem(publicKey: KeyObject): string {
  return encodePem('PUBLIC KEY', publicKey.export({ type: 'spki', format: 'der' }));
}

export interface GeneratedKeyPair {
  /** `ENCRYPTED SIGSTORE PRIVATE KEY` PEM */
  privatePem: string;
  /** `PUBLIC KEY` PEM */
  publicPem: string;
  key: SigningKey;
}

/** A fresh ECDSA P-256 key pair, the private half encrypted exactly as `cosign generate-key-pair` does. */
export async function generateKeyPair(password: Buffer): Promise<GeneratedKeyPair> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const sealed = await encryptKey(der, password);
  return {
    privatePem: encodePem(SIGSTORE_KEY_PEM_TYPE, sealed),
    publicPem: publicKeyPem(publicKey),
    key: { privateKey, publicKey, algorithm: 'ecdsa-p256', format: SIGSTORE_KEY_PEM_TYPE },
  };
}

/** Re-encrypts a key in cosign's format (`bulwark key import` style conversions). */
export async function encryptPrivateKeyPem(key: SigningKey, password: Buffer): Promise<string> {
  const sealed = await encryptKey(key.privateKey.export({ type: 'pkcs8', format: 'der' }), password);
  return encodePem(SIGSTORE_KEY_PEM_TYPE, sealed);
}

function fromDer(der: Buffer, type: 'pkcs8' | 'sec1' | 'pkcs1', input: string): KeyObject {
  try {
    return createPrivateKey({ key: der, format: 'der', type });
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not a valid ${type} private key`, { input, cause: e });
  }
}

function signingKey(privateKey: KeyObject, format: string, input: string): SigningKey {
  return {
    privateKey,
    publicKey: createPublicKey(privateKey),
    algorithm: keyAlgorithm(privateKey, input),
    format,
  };
}

/**
 * Reads a private key file's text. Encrypted keys (cosign's, or PKCS#8 `ENCRYPTED PRIVATE KEY`)
 * ask `password` once; plain keys never do.
 */
export async function loadPrivateKey(
  text: string,
  password: PasswordSource,
  input: string,
): Promise<SigningKey> {
  const block = parsePem(text).find((b) => b.type.includes('PRIVATE KEY'));
  if (!block) throw new BulwarkError('MALFORMED_INPUT', 'no PEM private key found', { input });
  switch (block.type) {
    case SIGSTORE_KEY_PEM_TYPE:
    case COSIGN_KEY_PEM_TYPE: {
      const der = await decryptKey(block.bytes, await password(), input);
      // cosign itself only accepts PKCS#8 inside; bulwark also opens SEC1, which older tools sealed.
      let key: KeyObject;
      try {
        key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      } catch {
        key = fromDer(der, 'sec1', input);
      }
      return signingKey(key, block.type, input);
    }
    case 'PRIVATE KEY':
      return signingKey(fromDer(block.bytes, 'pkcs8', input), block.type, input);
    case 'EC PRIVATE KEY':
      if (block.headers['Proc-Type']) {
        throw new BulwarkError(
          'UNSUPPORTED',
          'legacy OpenSSL-encrypted PEM keys are not supported; use PKCS#8',
          {
            input,
          },
        );
      }
      return signingKey(fromDer(block.bytes, 'sec1', input), block.type, input);
    case 'RSA PRIVATE KEY':
      if (block.headers['Proc-Type']) {
        throw new BulwarkError(
          'UNSUPPORTED',
          'legacy OpenSSL-encrypted PEM keys are not supported; use PKCS#8',
          {
            input,
          },
        );
      }
      return signingKey(fromDer(block.bytes, 'pkcs1', input), block.type, input);
    case 'ENCRYPTED PRIVATE KEY': {
      const passphrase = await password();
      try {
        const key = createPrivateKey({ key: block.bytes, format: 'der', type: 'pkcs8', passphrase });
        return signingKey(key, block.type, input);
      } catch (e) {
        throw new BulwarkError('KEY_INVALID', 'wrong password or unreadable PKCS#8 key', { input, cause: e });
      }
    }
    default:
      throw new BulwarkError('UNSUPPORTED', `unsupported PEM type "${block.type}"`, { input });
  }
}

/** Reads a public key: a PKIX `PUBLIC KEY` PEM, or the key of a `CERTIFICATE`. */
export function loadPublicKey(text: string, input: string, name = input): VerificationKey {
  const blocks = parsePem(text);
  const block = blocks.find((b) => b.type === 'PUBLIC KEY') ?? blocks.find((b) => b.type === 'CERTIFICATE');
  if (!block) throw new BulwarkError('MALFORMED_INPUT', 'no PEM public key or certificate found', { input });
  let publicKey: KeyObject;
  try {
    publicKey =
      block.type === 'PUBLIC KEY'
        ? createPublicKey({ key: block.bytes, format: 'der', type: 'spki' })
        : new X509Certificate(block.bytes).publicKey;
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not a valid ${block.type.toLowerCase()}`, { input, cause: e });
  }
  return verificationKey(publicKey, name, input);
}

export function verificationKey(publicKey: KeyObject, name: string, input = name): VerificationKey {
  return {
    publicKey,
    algorithm: keyAlgorithm(publicKey, input),
    name,
    fingerprint: fingerprintOf(publicKey),
  };
}
