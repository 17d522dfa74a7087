/**
 * `signImage`: cosign's `sign --key` without a transparency log. The payload names the digest the
 * reference points at now; the signature is appended to the `.sig` image (never replacing one),
 * unless the same payload is already signed by the same key, which cosign's duplicate detector
 * also skips.
 */
import { createHash } from 'node:crypto';
import { BulwarkError } from '../core/errors.js';
import type { ImageReference, RegistryClient } from '../registry/index.js';
import { decodeBase64 } from './encoding.js';
import type { SigningKey } from './keys.js';
import { fingerprintOf } from './keys.js';
import {
  CERTIFICATE_ANNOTATION,
  CHAIN_ANNOTATION,
  SIGNATURE_ANNOTATION,
  SIMPLE_SIGNING_MEDIA_TYPE,
  signatureTag,
} from './layout.js';
import { buildPayload, dockerReferenceOf, type Annotations } from './payload.js';
import { appendToRegistry, fetchSignatureManifest, resolveDigest, toReference } from './remote.js';
import { signBytes, verifyBytes } from './signature.js';
import { loadCertificates } from './x509.js';

export interface SignImageOptions {
  client: RegistryClient;
  annotations?: Annotations;
  /** PEM of the signing certificate (its key must be the signing key) and of its chain */
  certificatePem?: string;
  chainPem?: string;
  /** false: sign and return, write nothing to the registry (`--upload=false`) */
  upload?: boolean;
}

export interface SignImageResult {
  reference: string;
  digest: string;
  signatureTag: string;
  payload: Buffer;
  /** base64 signature, as stored in the annotation */
  signature: string;
  uploaded: boolean;
  /** the same payload was already signed by this key: nothing appended */
  duplicate: boolean;
  /** digest of the `.sig` manifest written, and how many signatures it now holds */
  signatureManifestDigest?: string;
  signatureCount?: number;
}

/** Refuses a certificate whose public key is not the signing key (cosign checks the same). */
export function checkCertificateMatchesKey(certificatePem: string, key: SigningKey, input: string): void {
  const [leaf] = loadCertificates(certificatePem, input);
  if (!leaf) throw new BulwarkError('MALFORMED_INPUT', 'no certificate found', { input });
  if (fingerprintOf(leaf.publicKey) !== fingerprintOf(key.publicKey)) {
    throw new BulwarkError('KEY_INVALID', "the certificate's public key is not the signing key", { input });
  }
}

export async function signImage(
  refLike: string | ImageReference,
  key: SigningKey,
  opts: SignImageOptions,
): Promise<SignImageResult> {
  const ref = toReference(refLike);
  const { client } = opts;
  if (opts.certificatePem) checkCertificateMatchesKey(opts.certificatePem, key, 'certificate');
  const digest = await resolveDigest(client, ref);
  const payload = buildPayload(dockerReferenceOf(ref), digest, opts.annotations);
  const signature = signBytes(key, payload).toString('base64');
  const tag = signatureTag(digest, 'sig');
  const result: SignImageResult = {
    reference: ref.original,
    digest,
    signatureTag: tag,
    payload,
    signature,
    uploaded: false,
    duplicate: false,
  };
  if (opts.upload === false) return result;

  const annotations: Record<string, string> = { [SIGNATURE_ANNOTATION]: signature };
  if (opts.certificatePem) {
    annotations[CERTIFICATE_ANNOTATION] = opts.certificatePem;
    annotations[CHAIN_ANNOTATION] = opts.chainPem ?? '';
  }
  const existing = await fetchSignatureManifest(client, ref, digest, 'sig', { withConfig: true });
  const payloadDigest = `sha256:${createHash('sha256').update(payload).digest('hex')}`;
  const dup = existing?.layers.find((l) => {
    const b64 = l.annotations?.[SIGNATURE_ANNOTATION];
    if (l.digest !== payloadDigest || !b64) return false;
    try {
      return verifyBytes(key, payload, decodeBase64(b64, 'signature'));
    } catch {
      return false;
    }
  });
  if (dup) {
    return {
      ...result,
      duplicate: true,
      signatureManifestDigest: existing!.digest,
      signatureCount: existing!.layers.length,
    };
  }
  const written = await appendToRegistry(
    client,
    ref,
    digest,
    'sig',
    [{ data: payload, mediaType: SIMPLE_SIGNING_MEDIA_TYPE, annotations }],
    existing ?? null,
  );
  return {
    ...result,
    uploaded: true,
    signatureManifestDigest: written.digest,
    signatureCount: written.count,
  };
}
