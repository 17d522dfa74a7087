/**
 * `sign-blob` / `verify-blob`: a signature over a file's bytes, base64 as cosign prints it. Raw DER
 * signature files (as `openssl dgst -sign` writes them) are read too.
 */
import { BulwarkError } from '../core/errors.js';
import { checkKeyStage } from './check.js';
import { decodeBase64 } from './encoding.js';
import type { SigningKey } from './keys.js';
import { signBytes } from './signature.js';
import type { FailureReason, TrustPolicy } from './types.js';
import type { CertificateSummary } from './x509.js';

/** A signature file larger than this is not a signature. */
const MAX_SIGNATURE_FILE_BYTES = 64 * 1024;

export function signBlob(key: SigningKey, data: Buffer): string {
  return signBytes(key, data).toString('base64');
}

/** A signature file's bytes: base64 text (cosign), else raw binary (openssl). */
export function decodeSignatureFile(bytes: Buffer, input: string): Buffer {
  if (bytes.length > MAX_SIGNATURE_FILE_BYTES) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `signature of ${bytes.length} bytes exceeds ${MAX_SIGNATURE_FILE_BYTES}`,
      {
        input,
      },
    );
  }
  const text = bytes.toString('latin1').trim();
  if (/^[A-Za-z0-9+/=_\-\s]+$/.test(text)) return decodeBase64(text.replace(/\s+/g, ''), 'signature', input);
  return bytes;
}

export interface BlobVerification {
  verified: boolean;
  reason?: FailureReason;
  message: string;
  key?: string;
  certificate?: CertificateSummary;
}

export function verifyBlob(
  data: Buffer,
  signature: Buffer,
  policy: TrustPolicy,
  material: { certificatePem?: string; chainPem?: string; input: string },
): BlobVerification {
  const stage = checkKeyStage({ data, signature, ...material }, policy);
  if (!stage.ok) {
    return {
      verified: false,
      reason: stage.reason,
      message: stage.message,
      ...(stage.certificate ? { certificate: stage.certificate } : {}),
    };
  }
  return {
    verified: true,
    message: stage.key ? `verified with key "${stage.key}"` : 'verified with the signing certificate',
    ...(stage.key ? { key: stage.key } : {}),
    ...(stage.certificate ? { certificate: stage.certificate } : {}),
  };
}
