/**
 * Raw signatures as cosign makes them with a key: ECDSA over SHA-256 with an ASN.1 DER (r, s),
 * RSA PKCS#1 v1.5 over SHA-256, Ed25519 over the message itself. cosign pins SHA-256 for every
 * key type it loads from a file, whatever the curve, so bulwark does too.
 */
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import type { KeyAlgorithm, SigningKey, VerificationKey } from './keys.js';

function hashFor(algorithm: KeyAlgorithm): string | null {
  return algorithm === 'ed25519' ? null : 'sha256';
}

export function signBytes(key: SigningKey, data: Buffer): Buffer {
  return cryptoSign(hashFor(key.algorithm), data, { key: key.privateKey, dsaEncoding: 'der' });
}

/** True when `signature` verifies; malformed signatures are simply false, never a throw. */
export function verifyBytes(
  key: Pick<VerificationKey, 'publicKey' | 'algorithm'> | { publicKey: KeyObject; algorithm: KeyAlgorithm },
  data: Buffer,
  signature: Buffer,
): boolean {
  try {
    return cryptoVerify(hashFor(key.algorithm), data, { key: key.publicKey, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}

/** True when the bytes parse as a DER ECDSA signature SEQUENCE { INTEGER r, INTEGER s }. */
export function isDerEcdsaSignature(sig: Buffer): boolean {
  if (sig.length < 8 || sig[0] !== 0x30) return false;
  let i = 2;
  let len = sig[1]!;
  if (len === 0x81) {
    len = sig[2]!;
    i = 3;
  } else if (len > 0x80) return false;
  if (i + len !== sig.length) return false;
  for (let n = 0; n < 2; n++) {
    if (sig[i] !== 0x02) return false;
    const l = sig[i + 1]!;
    if (l === 0 || l > 0x42) return false;
    i += 2 + l;
  }
  return i === sig.length;
}
