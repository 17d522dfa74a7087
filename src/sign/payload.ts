/**
 * cosign's "simple signing" payload (containers/image's signature JSON), written byte for byte as
 * sigstore's `payload.Cosign` marshals it:
 *   {"critical":{"identity":{"docker-reference":"<repo>"},"image":{"docker-manifest-digest":"sha256:..."},
 *    "type":"cosign container image signature"},"optional":<annotations or null>}
 */
import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';
import type { ImageReference } from '../registry/index.js';
import { goJson, parseBoundedJson, sortKeys } from './encoding.js';

export const COSIGN_SIGNATURE_TYPE = 'cosign container image signature';

export type Annotations = Record<string, string>;

export interface SimpleSigningPayload {
  dockerReference: string;
  manifestDigest: string;
  type: string;
  /** `optional`: annotations given with `-a` (values kept as cosign wrote them, strings or not) */
  optional: Record<string, unknown> | null;
}

/**
 * The repository as go-containerregistry names it (`Repository.Name()`): Docker Hub is
 * `index.docker.io`, everything else the registry as typed.
 */
export function dockerReferenceOf(ref: Pick<ImageReference, 'domain' | 'repository'>): string {
  const registry = ref.domain === 'docker.io' ? 'index.docker.io' : ref.domain;
  return `${registry}/${ref.repository}`;
}

export function buildPayload(
  dockerReference: string,
  manifestDigest: string,
  annotations?: Annotations,
): Buffer {
  const optional = annotations && Object.keys(annotations).length ? sortKeys(annotations) : null;
  return Buffer.from(
    goJson({
      critical: {
        identity: { 'docker-reference': dockerReference },
        image: { 'docker-manifest-digest': manifestDigest },
        type: COSIGN_SIGNATURE_TYPE,
      },
      optional,
    }),
  );
}

const payloadSchema = z.looseObject({
  critical: z.looseObject({
    identity: z.looseObject({ 'docker-reference': z.string() }).optional(),
    image: z.looseObject({ 'docker-manifest-digest': z.string() }),
    type: z.string(),
  }),
  optional: z.record(z.string(), z.unknown()).nullish(),
});

/** Parses a payload; MALFORMED_INPUT unless it is a simple-signing document of cosign's type. */
export function parsePayload(bytes: Buffer, input: string): SimpleSigningPayload {
  const parsed = payloadSchema.safeParse(parseBoundedJson(bytes, input, { maxDepth: 16 }));
  if (!parsed.success)
    throw new BulwarkError('MALFORMED_INPUT', 'payload is not a simple-signing document', { input });
  const c = parsed.data.critical;
  if (c.type !== COSIGN_SIGNATURE_TYPE) {
    throw new BulwarkError('MALFORMED_INPUT', `payload type is "${c.type}", not "${COSIGN_SIGNATURE_TYPE}"`, {
      input,
    });
  }
  return {
    dockerReference: c.identity?.['docker-reference'] ?? '',
    manifestDigest: c.image['docker-manifest-digest'],
    type: c.type,
    optional: parsed.data.optional ?? null,
  };
}

/** The required annotations the payload lacks or has with another value (cosign compares as strings). */
export function missingAnnotations(payload: SimpleSigningPayload, required: Annotations): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(required)) {
    const have = payload.optional?.[k];
    const asText = typeof have === 'string' ? have : have === undefined ? undefined : JSON.stringify(have);
    if (asText !== v) out.push(`${k}=${v}`);
  }
  return out;
}

/** `-a key=value` flags into a map; USAGE for a flag without `=`. */
export function parseAnnotationFlags(flags: readonly string[] = []): Annotations {
  const out: Annotations = {};
  for (const f of flags) {
    const eq = f.indexOf('=');
    if (eq <= 0) throw new BulwarkError('USAGE', `annotation "${f}" is not key=value`, { input: f });
    out[f.slice(0, eq)] = f.slice(eq + 1);
  }
  return out;
}
