/**
 * DSSE envelopes (secure-systems-lab/dsse), as cosign writes attestations: the signature is over
 * PAE(payloadType, payload) = "DSSEv1 <len(type)> <type> <len(body)> <body>", and the envelope is
 *   {"payloadType":"...","payload":"<base64>","signatures":[{"keyid":"","sig":"<base64>"}]}
 */
import { z } from 'zod';
import { BulwarkError } from '../core/errors.js';
import { decodeBase64, goJson, parseBoundedJson } from './encoding.js';
import type { SigningKey } from './keys.js';
import { signBytes } from './signature.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

export function pae(payloadType: string, body: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

export function signEnvelope(key: SigningKey, payloadType: string, body: Buffer): Buffer {
  const sig = signBytes(key, pae(payloadType, body)).toString('base64');
  const envelope: DsseEnvelope = {
    payloadType,
    payload: body.toString('base64'),
    signatures: [{ keyid: '', sig }],
  };
  return Buffer.from(goJson(envelope));
}

const envelopeSchema = z.object({
  payloadType: z.string(),
  payload: z.string(),
  signatures: z.array(z.object({ keyid: z.string().optional(), sig: z.string() })).max(64),
});

export interface OpenedEnvelope {
  payloadType: string;
  body: Buffer;
  /** the bytes every signature is over */
  pae: Buffer;
  signatures: Buffer[];
}

/** Parses an envelope (bounded); MALFORMED_INPUT for anything that is not one. */
export function openEnvelope(bytes: Buffer, input: string, maxBytes?: number): OpenedEnvelope {
  const parsed = envelopeSchema.safeParse(
    parseBoundedJson(bytes, input, { maxDepth: 8, ...(maxBytes ? { maxBytes } : {}) }),
  );
  if (!parsed.success) throw new BulwarkError('MALFORMED_INPUT', 'not a DSSE envelope', { input });
  const body = decodeBase64(parsed.data.payload, 'DSSE payload', input);
  return {
    payloadType: parsed.data.payloadType,
    body,
    pae: pae(parsed.data.payloadType, body),
    signatures: parsed.data.signatures.map((s) => decodeBase64(s.sig, 'DSSE signature', input)),
  };
}
