/**
 * Trust: cosign-compatible keys, image and blob signatures, X.509 certificates, attestations and
 * Sigstore bundles. Policy engines call `verifyImageSignatures` (and `verifyImageAttestations`)
 * with a `TrustPolicy` and read the typed result; nothing here reads flags or the environment.
 */
export {
  generateKeyPair,
  loadPrivateKey,
  loadPublicKey,
  publicKeyPem,
  encryptPrivateKeyPem,
  fingerprintOf,
  verificationKey,
} from './keys.js';
export type { KeyAlgorithm, SigningKey, VerificationKey, PasswordSource, GeneratedKeyPair } from './keys.js';
export { SCRYPT_PARAMS, SIGSTORE_KEY_PEM_TYPE, COSIGN_KEY_PEM_TYPE } from './encrypted-key.js';
export { readPassword, PASSWORD_ENV } from './password.js';
export type { PasswordOptions } from './password.js';
export { signBytes, verifyBytes } from './signature.js';
export { signBlob, verifyBlob, decodeSignatureFile } from './blob.js';
export type { BlobVerification } from './blob.js';
export {
  buildPayload,
  parsePayload,
  parseAnnotationFlags,
  dockerReferenceOf,
  COSIGN_SIGNATURE_TYPE,
} from './payload.js';
export type { Annotations, SimpleSigningPayload } from './payload.js';
export {
  signatureTag,
  appendSignatures,
  SIMPLE_SIGNING_MEDIA_TYPE,
  DSSE_MEDIA_TYPE,
  SIGNATURE_ANNOTATION,
  CERTIFICATE_ANNOTATION,
  CHAIN_ANNOTATION,
  BUNDLE_ANNOTATION,
  MAX_SIGNATURE_LAYERS,
} from './layout.js';
export { signImage } from './sign-image.js';
export type { SignImageOptions, SignImageResult } from './sign-image.js';
export { verifyImageSignatures, checkSignature, assertVerified, PayloadCache } from './verify-image.js';
export type { VerifyImageOptions } from './verify-image.js';
export { DEFAULT_MAX_PAYLOAD_BYTES } from './remote.js';
export { loadCertificates, trustFromChain, verifyCertificate, summarize } from './x509.js';
export type { CertificateTrust, CertificateSummary, IdentityConstraints, CertificateCheck } from './x509.js';
export { REASON_CODES, verdictOf } from './types.js';
export type { FailureReason, TrustPolicy, SignatureCheck, ImageVerification } from './types.js';
export { parseBoundedJson } from './encoding.js';
