/**
 * `verifyImageSignatures`: cosign's key- and certificate-based image verification. The reference
 * resolves to the digest its tag names now; `sha256-<hex>.sig` in the same repository lists the
 * signatures; each one is checked on its own (one broken layer never hides a good one) for its
 * signature, its certificate, the digest its payload claims, and the required annotations.
 */
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import type { Descriptor, ImageReference, RegistryClient } from '../registry/index.js';
import { checkKeyStage } from './check.js';
import { decodeBase64 } from './encoding.js';
import { CERTIFICATE_ANNOTATION, CHAIN_ANNOTATION, SIGNATURE_ANNOTATION, signatureTag } from './layout.js';
import { missingAnnotations, parsePayload } from './payload.js';
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  fetchPayload,
  fetchSignatureManifest,
  resolveDigest,
  toReference,
} from './remote.js';
import {
  REASON_CODES,
  verdictOf,
  type ImageVerification,
  type SignatureCheck,
  type TrustPolicy,
} from './types.js';

/** Payloads by layer digest: content-addressed, so a cached payload is as good as a fetched one. */
export class PayloadCache {
  private readonly entries = new Map<string, Buffer>();
  constructor(private readonly maxEntries = 10_000) {}
  get(digest: string): Buffer | undefined {
    return this.entries.get(digest);
  }
  set(digest: string, payload: Buffer): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(digest, payload);
  }
}

export interface VerifyImageOptions {
  client: RegistryClient;
  cache?: PayloadCache;
  maxPayloadBytes?: number;
}

/** Checks one signature layer whose payload is already at hand. Pure: no I/O. */
export function checkSignature(
  layer: Descriptor,
  index: number,
  payload: Buffer,
  digest: string,
  policy: TrustPolicy,
  input: string,
): SignatureCheck {
  const base = { index, layerDigest: layer.digest };
  const b64 = layer.annotations?.[SIGNATURE_ANNOTATION];
  if (b64 === undefined || b64 === '') {
    return {
      ...base,
      verified: false,
      reason: 'bad-signature',
      message: `layer has no ${SIGNATURE_ANNOTATION} annotation`,
    };
  }
  let signature: Buffer;
  try {
    signature = decodeBase64(b64, 'signature', input);
  } catch {
    return {
      ...base,
      verified: false,
      reason: 'bad-signature',
      message: 'signature annotation is not base64',
    };
  }
  const stage = checkKeyStage(
    {
      data: payload,
      signature,
      certificatePem: layer.annotations?.[CERTIFICATE_ANNOTATION],
      chainPem: layer.annotations?.[CHAIN_ANNOTATION],
      input,
    },
    policy,
  );
  if (!stage.ok) {
    return {
      ...base,
      verified: false,
      reason: stage.reason,
      message: stage.message,
      ...(stage.certificate ? { certificate: stage.certificate } : {}),
    };
  }
  const who = {
    ...(stage.key ? { key: stage.key } : {}),
    ...(stage.certificate ? { certificate: stage.certificate } : {}),
  };
  let parsed;
  try {
    parsed = parsePayload(payload, input);
  } catch (e) {
    return { ...base, ...who, verified: false, reason: 'bad-signature', message: (e as Error).message };
  }
  if (parsed.manifestDigest !== digest) {
    return {
      ...base,
      ...who,
      payload: parsed,
      verified: false,
      reason: 'digest-mismatch',
      message: `signature is for ${parsed.manifestDigest}, the image is ${digest} (tag moved or signature copied)`,
    };
  }
  const missing = missingAnnotations(parsed, policy.annotations ?? {});
  if (missing.length) {
    return {
      ...base,
      ...who,
      payload: parsed,
      verified: false,
      reason: 'annotation-mismatch',
      message: `payload lacks required annotation(s) ${missing.join(', ')}`,
    };
  }
  const by = stage.key
    ? `key "${stage.key}"`
    : `certificate ${stage.certificate?.sans.join(', ') || stage.certificate?.subject}`;
  return { ...base, ...who, payload: parsed, verified: true, message: `verified with ${by}` };
}

export async function verifyImageSignatures(
  refLike: string | ImageReference,
  policy: TrustPolicy,
  opts: VerifyImageOptions,
): Promise<ImageVerification> {
  const ref = toReference(refLike);
  const { client } = opts;
  const digest = await resolveDigest(client, ref);
  const tag = signatureTag(digest, 'sig');
  const sigs = await fetchSignatureManifest(client, ref, digest, 'sig');
  const head = { reference: ref.original, digest, signatureTag: tag };
  if (!sigs) {
    return {
      ...head,
      verified: false,
      reason: 'no-signatures',
      message: `no signatures: ${ref.name}:${tag} does not exist`,
      signatures: [],
    };
  }
  const checks: SignatureCheck[] = [];
  for (const [index, layer] of sigs.layers.entries()) {
    const input = `${ref.name}@${layer.digest}`;
    let payload = opts.cache?.get(layer.digest);
    if (!payload) {
      try {
        payload = await fetchPayload(client, ref, layer, opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
      } catch (e) {
        if (
          !isBulwarkError(e) ||
          !['LIMIT_EXCEEDED', 'DIGEST_MISMATCH', 'REGISTRY_NOT_FOUND', 'MALFORMED_INPUT'].includes(e.code)
        ) {
          throw e;
        }
        const reason = e.code === 'LIMIT_EXCEEDED' ? 'limit-exceeded' : 'bad-signature';
        checks.push({
          index,
          layerDigest: layer.digest,
          verified: false,
          reason,
          message: `payload: ${e.message}`,
        });
        continue;
      }
      opts.cache?.set(layer.digest, payload);
    }
    checks.push(checkSignature(layer, index, payload, digest, policy, input));
  }
  return { ...head, signatureManifestDigest: sigs.digest, ...verdictOf(checks), signatures: checks };
}

/** Throws the typed error of a failed verification (for callers that want exceptions). */
export function assertVerified(v: ImageVerification): void {
  if (v.verified) return;
  throw new BulwarkError(REASON_CODES[v.reason ?? 'no-signatures'], v.message, { input: v.reference });
}
