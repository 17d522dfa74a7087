/**
 * Attestations as cosign makes them with `attest --key`: an in-toto Statement naming the image's
 * digest and carrying a predicate (an SBOM, a vulnerability report, a VEX document, anything),
 * signed as a DSSE envelope over PAE, and appended as a layer of media type
 * `application/vnd.dsse.envelope.v1+json` to the image behind the `sha256-<hex>.att` tag, with
 * an empty `dev.cosignproject.cosign/signature` annotation and a `predicateType` annotation.
 */
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import type { ImageReference, RegistryClient } from '../registry/index.js';
import { checkKeyStage } from './check.js';
import { IN_TOTO_PAYLOAD_TYPE, openEnvelope, signEnvelope } from './dsse.js';
import { goJson, parseBoundedJson } from './encoding.js';
import type { SigningKey } from './keys.js';
import {
  CERTIFICATE_ANNOTATION,
  CHAIN_ANNOTATION,
  DSSE_MEDIA_TYPE,
  PREDICATE_TYPE_ANNOTATION,
  SIGNATURE_ANNOTATION,
  signatureTag,
} from './layout.js';
import { dockerReferenceOf } from './payload.js';
import {
  appendToRegistry,
  fetchPayload,
  fetchSignatureManifest,
  resolveDigest,
  toReference,
} from './remote.js';
import { verdictOf, type FailureReason, type SignatureCheck, type TrustPolicy } from './types.js';
import type { PayloadCache } from './verify-image.js';

/** cosign's `--type` shortcuts and the predicate type URIs it writes for them. */
export const PREDICATE_TYPES = Object.freeze({
  custom: 'https://cosign.sigstore.dev/attestation/v1',
  slsaprovenance: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance02: 'https://slsa.dev/provenance/v0.2',
  slsaprovenance1: 'https://slsa.dev/provenance/v1',
  link: 'https://in-toto.io/Link/v1',
  spdx: 'https://spdx.dev/Document',
  spdxjson: 'https://spdx.dev/Document',
  cyclonedx: 'https://cyclonedx.org/bom',
  vuln: 'https://cosign.sigstore.dev/attestation/vuln/v1',
  openvex: 'https://openvex.dev/ns',
} as const);
export type PredicateShortcut = keyof typeof PREDICATE_TYPES;

export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
const STATEMENT_TYPES = new Set([STATEMENT_V1, 'https://in-toto.io/Statement/v0.1']);

/** An SBOM attestation of a large image is several MB; cosign's own bound is 128 MiB. */
export const DEFAULT_MAX_ATTESTATION_BYTES = 64 * 1024 * 1024;
const MAX_PREDICATE_DEPTH = 64;

/** A shortcut's URI, or the argument itself when it is a URI (cosign accepts any). */
export function predicateTypeOf(type: string): string {
  const known = (PREDICATE_TYPES as Record<string, string>)[type.toLowerCase()];
  if (known) return known;
  if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(type)) return type;
  throw new BulwarkError(
    'USAGE',
    `unknown predicate type "${type}" (${Object.keys(PREDICATE_TYPES).join(', ')}, or a URI)`,
    { input: type },
  );
}

/**
 * The predicate from a file's bytes, as cosign builds it: `custom` wraps the text as
 * `{"Data": ..., "Timestamp": ...}`; every other type must be a JSON document and is embedded.
 */
export function predicateFromFile(type: string, bytes: Buffer, input: string, now = new Date()): unknown {
  if (predicateTypeOf(type) === PREDICATE_TYPES.custom) {
    return { Data: bytes.toString('utf8'), Timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
  }
  return parseBoundedJson(bytes, input, {
    maxBytes: DEFAULT_MAX_ATTESTATION_BYTES,
    maxDepth: MAX_PREDICATE_DEPTH,
  });
}

export function buildStatement(
  subjectName: string,
  digest: string,
  predicateType: string,
  predicate: unknown,
): Buffer {
  const [algorithm, hex] = digest.split(':');
  return Buffer.from(
    goJson({
      _type: STATEMENT_V1,
      subject: [{ name: subjectName, digest: { [algorithm!]: hex } }],
      predicateType,
      predicate,
    }),
  );
}

export interface AttestImageOptions {
  client: RegistryClient;
  /** a shortcut (`cyclonedx`, ...) or a URI */
  type: string;
  predicate: unknown;
  certificatePem?: string;
  chainPem?: string;
  /** false: sign and return the envelope, push nothing */
  upload?: boolean;
}

export interface AttestImageResult {
  reference: string;
  digest: string;
  attestationTag: string;
  predicateType: string;
  /** the DSSE envelope as stored */
  envelope: Buffer;
  uploaded: boolean;
  attestationManifestDigest?: string;
  attestationCount?: number;
}

export async function attestImage(
  refLike: string | ImageReference,
  key: SigningKey,
  opts: AttestImageOptions,
): Promise<AttestImageResult> {
  const ref = toReference(refLike);
  const predicateType = predicateTypeOf(opts.type);
  const digest = await resolveDigest(opts.client, ref);
  const statement = buildStatement(dockerReferenceOf(ref), digest, predicateType, opts.predicate);
  const envelope = signEnvelope(key, IN_TOTO_PAYLOAD_TYPE, statement);
  const result: AttestImageResult = {
    reference: ref.original,
    digest,
    attestationTag: signatureTag(digest, 'att'),
    predicateType,
    envelope,
    uploaded: false,
  };
  if (opts.upload === false) return result;
  const annotations: Record<string, string> = {
    [SIGNATURE_ANNOTATION]: '',
    [PREDICATE_TYPE_ANNOTATION]: predicateType,
  };
  if (opts.certificatePem) {
    annotations[CERTIFICATE_ANNOTATION] = opts.certificatePem;
    annotations[CHAIN_ANNOTATION] = opts.chainPem ?? '';
  }
  const written = await appendToRegistry(opts.client, ref, digest, 'att', [
    { data: envelope, mediaType: DSSE_MEDIA_TYPE, annotations },
  ]);
  return {
    ...result,
    uploaded: true,
    attestationManifestDigest: written.digest,
    attestationCount: written.count,
  };
}

export interface AttestationCheck extends Omit<SignatureCheck, 'payload'> {
  /** the statement's predicate type (or, when unreadable, the layer's annotation) */
  predicateType?: string;
  /** of another predicate type than asked for: listed, not counted */
  skipped?: boolean;
  /** the verified statement's predicate */
  predicate?: unknown;
}

export interface AttestationVerification {
  reference: string;
  digest: string;
  attestationTag: string;
  attestationManifestDigest?: string;
  /** the predicate type asked for, when one was */
  predicateType?: string;
  verified: boolean;
  reason?: FailureReason;
  message: string;
  attestations: AttestationCheck[];
}

export interface VerifyAttestationOptions {
  client: RegistryClient;
  /** only attestations of this type count (shortcut or URI) */
  type?: string;
  cache?: PayloadCache;
  maxPayloadBytes?: number;
}

interface StatementJson {
  _type?: unknown;
  predicateType?: unknown;
  subject?: unknown;
  predicate?: unknown;
}

/** Checks one attestation layer whose envelope is at hand. Pure: no I/O. */
export function checkAttestation(
  layer: { digest: string; annotations?: Record<string, string> },
  index: number,
  envelopeBytes: Buffer,
  digest: string,
  policy: TrustPolicy,
  input: string,
  wantedType?: string,
): AttestationCheck {
  const base = { index, layerDigest: layer.digest };
  const annotated = layer.annotations?.[PREDICATE_TYPE_ANNOTATION];
  const bad = (message: string): AttestationCheck => ({
    ...base,
    ...(annotated ? { predicateType: annotated } : {}),
    verified: false,
    reason: 'bad-signature',
    message,
  });
  let env;
  try {
    env = openEnvelope(envelopeBytes, input, envelopeBytes.length + 1);
  } catch (e) {
    return bad((e as Error).message);
  }
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) return bad(`payload type ${env.payloadType} is not in-toto`);
  let statement: StatementJson;
  try {
    statement = parseBoundedJson(env.body, input, {
      maxBytes: envelopeBytes.length,
      maxDepth: MAX_PREDICATE_DEPTH,
    }) as StatementJson;
  } catch (e) {
    return bad(`statement: ${(e as Error).message}`);
  }
  if (!statement || typeof statement !== 'object' || !STATEMENT_TYPES.has(statement._type as string)) {
    return bad('payload is not an in-toto Statement');
  }
  const predicateType = typeof statement.predicateType === 'string' ? statement.predicateType : '';
  const typed = { ...base, predicateType };
  if (wantedType && predicateType !== wantedType) {
    return {
      ...typed,
      verified: false,
      skipped: true,
      message: `of type ${predicateType || '(none)'}, not ${wantedType}`,
    };
  }
  let stage;
  for (const signature of env.signatures.length ? env.signatures : [Buffer.alloc(0)]) {
    stage = checkKeyStage(
      {
        data: env.pae,
        signature,
        certificatePem: layer.annotations?.[CERTIFICATE_ANNOTATION],
        chainPem: layer.annotations?.[CHAIN_ANNOTATION],
        input,
      },
      policy,
    );
    if (stage.ok) break;
  }
  if (!stage!.ok) {
    return {
      ...typed,
      verified: false,
      reason: stage!.reason,
      message: stage!.message,
      ...(stage!.certificate ? { certificate: stage!.certificate } : {}),
    };
  }
  const who = {
    ...(stage!.key ? { key: stage!.key } : {}),
    ...(stage!.certificate ? { certificate: stage!.certificate } : {}),
  };
  const [algorithm, hex] = digest.split(':');
  const subjects = Array.isArray(statement.subject)
    ? (statement.subject as { digest?: Record<string, unknown> }[])
    : [];
  if (!subjects.some((s) => s?.digest?.[algorithm!] === hex)) {
    const named = subjects
      .map((s) =>
        typeof s?.digest?.[algorithm!] === 'string' ? `${algorithm}:${s.digest[algorithm!] as string}` : '?',
      )
      .join(', ');
    return {
      ...typed,
      ...who,
      verified: false,
      reason: 'digest-mismatch',
      message: `statement names ${named || 'no subject'}, the image is ${digest} (tag moved or attestation copied)`,
    };
  }
  const by = stage!.key ? `key "${stage!.key}"` : 'the signing certificate';
  return { ...typed, ...who, verified: true, predicate: statement.predicate, message: `verified with ${by}` };
}

export async function verifyImageAttestations(
  refLike: string | ImageReference,
  policy: TrustPolicy,
  opts: VerifyAttestationOptions,
): Promise<AttestationVerification> {
  const ref = toReference(refLike);
  const { client } = opts;
  const wanted = opts.type ? predicateTypeOf(opts.type) : undefined;
  const digest = await resolveDigest(client, ref);
  const tag = signatureTag(digest, 'att');
  const head = {
    reference: ref.original,
    digest,
    attestationTag: tag,
    ...(wanted ? { predicateType: wanted } : {}),
  };
  const att = await fetchSignatureManifest(client, ref, digest, 'att');
  if (!att) {
    return {
      ...head,
      verified: false,
      reason: 'no-signatures',
      message: `no attestations: ${ref.name}:${tag} does not exist`,
      attestations: [],
    };
  }
  const checks: AttestationCheck[] = [];
  for (const [index, layer] of att.layers.entries()) {
    const input = `${ref.name}@${layer.digest}`;
    let envelope = opts.cache?.get(layer.digest);
    if (!envelope) {
      try {
        envelope = await fetchPayload(
          client,
          ref,
          layer,
          opts.maxPayloadBytes ?? DEFAULT_MAX_ATTESTATION_BYTES,
        );
      } catch (e) {
        if (
          !isBulwarkError(e) ||
          !['LIMIT_EXCEEDED', 'DIGEST_MISMATCH', 'REGISTRY_NOT_FOUND', 'MALFORMED_INPUT'].includes(e.code)
        ) {
          throw e;
        }
        checks.push({
          index,
          layerDigest: layer.digest,
          verified: false,
          reason: e.code === 'LIMIT_EXCEEDED' ? 'limit-exceeded' : 'bad-signature',
          message: `envelope: ${e.message}`,
        });
        continue;
      }
      opts.cache?.set(layer.digest, envelope);
    }
    checks.push(checkAttestation(layer, index, envelope, digest, policy, input, wanted));
  }
  const counted = checks.filter((c) => !c.skipped);
  const skipped = checks.length - counted.length;
  const verdict =
    counted.length || !skipped
      ? verdictOf(counted)
      : {
          verified: false,
          reason: 'no-signatures' as const,
          message: `no attestation of type ${wanted} (${skipped} of other types)`,
        };
  return {
    ...head,
    attestationManifestDigest: att.digest,
    ...verdict,
    ...(verdict.verified
      ? {
          message: `${counted.filter((c) => c.verified).length} of ${counted.length} attestation(s) verified`,
        }
      : {}),
    attestations: checks,
  };
}

/** The predicate of the newest verified attestation (the last layer appended), if any. */
export function newestPredicate(v: AttestationVerification): unknown {
  const ok = v.attestations.filter((a) => a.verified);
  return ok.length ? ok[ok.length - 1]!.predicate : undefined;
}
