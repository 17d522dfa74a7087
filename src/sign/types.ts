/** Verification results shared by images, blobs and attestations; what a policy engine consumes. */
import type { X509Certificate } from 'node:crypto';
import type { ErrorCode } from '../core/errors.js';
import type { VerificationKey } from './keys.js';
import type { Annotations, SimpleSigningPayload } from './payload.js';
import type { CertificateSummary, CertificateTrust } from './x509.js';

/** Why a signature (or the whole image) did not verify; each maps to its own exit code. */
export type FailureReason =
  | 'no-signatures'
  | 'digest-mismatch'
  | 'bad-signature'
  | 'wrong-key'
  | 'annotation-mismatch'
  | 'certificate-expired'
  | 'certificate-untrusted'
  | 'limit-exceeded';

export const REASON_CODES: Readonly<Record<FailureReason, ErrorCode>> = Object.freeze({
  'no-signatures': 'SIGNATURE_NOT_FOUND',
  'digest-mismatch': 'SIGNATURE_DIGEST_MISMATCH',
  'bad-signature': 'SIGNATURE_INVALID',
  'wrong-key': 'SIGNATURE_WRONG_KEY',
  'annotation-mismatch': 'SIGNATURE_ANNOTATION_MISMATCH',
  'certificate-expired': 'CERTIFICATE_EXPIRED',
  'certificate-untrusted': 'CERTIFICATE_UNTRUSTED',
  'limit-exceeded': 'LIMIT_EXCEEDED',
});

/**
 * How far a failed signature got, furthest last: the image's verdict reports the failure of the
 * signature that came closest to verifying (a right-key signature for another digest says more
 * than an unreadable layer).
 */
export const REASON_PRIORITY: readonly FailureReason[] = [
  'no-signatures',
  'limit-exceeded',
  'bad-signature',
  'wrong-key',
  'certificate-untrusted',
  'certificate-expired',
  'digest-mismatch',
  'annotation-mismatch',
];

/** What a signature is checked against. Keys and certificates may be combined: either suffices. */
export interface TrustPolicy {
  /** public keys that are trusted */
  keys?: VerificationKey[];
  /**
   * keys that are known but not trusted for this check (other keys of the configuration file):
   * a signature that verifies with one of them is reported as `wrong-key`, naming it
   */
  knownKeys?: VerificationKey[];
  /** X.509 trust: roots, intermediates and identity constraints */
  certificates?: CertificateTrust;
  /** the signing certificate to use instead of the one attached to the signature (`--cert`) */
  certificate?: X509Certificate;
  /** annotations every accepted signature must carry in its payload (`-a k=v`) */
  annotations?: Annotations;
  /** when certificates must be valid; default now */
  time?: Date;
}

export interface SignatureCheck {
  /** position of the layer in the `.sig` manifest */
  index: number;
  layerDigest: string;
  verified: boolean;
  reason?: FailureReason;
  message: string;
  /** the trusted key that verified it, by name */
  key?: string;
  certificate?: CertificateSummary;
  payload?: SimpleSigningPayload;
}

export interface ImageVerification {
  /** the reference as given */
  reference: string;
  /** the digest the signatures must name */
  digest: string;
  signatureTag: string;
  /** digest of the `.sig` manifest, when there is one */
  signatureManifestDigest?: string;
  verified: boolean;
  /** when not verified: the reason that decides the exit code */
  reason?: FailureReason;
  message: string;
  signatures: SignatureCheck[];
}

/** The verdict of a set of checks: verified when one passes, else the furthest failure. */
export function verdictOf(checks: readonly SignatureCheck[]): {
  verified: boolean;
  reason?: FailureReason;
  message: string;
} {
  const ok = checks.filter((c) => c.verified);
  if (ok.length) return { verified: true, message: `${ok.length} of ${checks.length} signature(s) verified` };
  if (!checks.length) return { verified: false, reason: 'no-signatures', message: 'no signatures found' };
  let worst = checks[0]!;
  for (const c of checks) {
    if (REASON_PRIORITY.indexOf(c.reason!) > REASON_PRIORITY.indexOf(worst.reason!)) worst = c;
  }
  return { verified: false, reason: worst.reason!, message: worst.message };
}
