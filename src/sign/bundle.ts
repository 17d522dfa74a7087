/**
 * Sigstore bundles (keyless signatures by cosign, npm provenance, sigstore-python) verified offline
 * against a trusted-root JSON file with the maintained Sigstore libraries: `@sigstore/bundle`
 * parses and validates, `@sigstore/verify` checks the Fulcio chain, the SCTs, the Rekor entry
 * (inclusion proof or promise, and that its body is this content) and the signature. bulwark only
 * bounds the input, adds cosign's regexp identity flags and, for a DSSE attestation given with its
 * artifact, checks that the statement names the artifact's digest.
 */
import { createHash } from 'node:crypto';
import { BulwarkError } from '../core/errors.js';
import { parseBoundedJson } from './encoding.js';
import type { FailureReason } from './types.js';

/** A bundle holding a large SBOM attestation is a few MB; far above that it is not a bundle. */
export const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;
export const MAX_TRUSTED_ROOT_BYTES = 4 * 1024 * 1024;
const MAX_JSON_DEPTH = 32;

export interface BundleIdentityPolicy {
  identity?: string;
  identityRegexp?: RegExp;
  oidcIssuer?: string;
  oidcIssuerRegexp?: RegExp;
}

export interface BundleInputs {
  bundle: Buffer;
  /** name of the bundle file, for errors */
  bundleInput: string;
  trustedRoot: Buffer;
  trustedRootInput: string;
  /** the signed file: required for a message signature, optional for a DSSE attestation */
  artifact?: Buffer;
  artifactInput?: string;
}

export interface BundleVerification {
  verified: boolean;
  reason?: FailureReason;
  /** the check that refused it: sigstore-js's error code, or bulwark's own (`IDENTITY`, `SUBJECT`) */
  check?: string;
  message: string;
  mediaType: string;
  content: 'message-signature' | 'dsse';
  signer?: { subjectAlternativeName?: string; issuer?: string };
  /** transparency-log entries: index and integration time */
  tlog: { logIndex: string; integratedTime?: string }[];
  /** a DSSE bundle: what the envelope carries */
  payloadType?: string;
  statement?: { type?: string; predicateType?: string; subjects: { name: string; sha256?: string }[] };
}

/** How sigstore-js's refusals map onto bulwark's reasons (and so its exit codes). */
const REASONS: Record<string, FailureReason> = {
  SIGNATURE_ERROR: 'bad-signature',
  TLOG_BODY_ERROR: 'bad-signature',
  PUBLIC_KEY_ERROR: 'wrong-key',
  CERTIFICATE_ERROR: 'certificate-untrusted',
  TIMESTAMP_ERROR: 'certificate-untrusted',
  TLOG_ERROR: 'certificate-untrusted',
  TLOG_INCLUSION_PROOF_ERROR: 'certificate-untrusted',
  TLOG_INCLUSION_PROMISE_ERROR: 'certificate-untrusted',
  TLOG_MISSING_INCLUSION_ERROR: 'certificate-untrusted',
  UNTRUSTED_SIGNER_ERROR: 'certificate-untrusted',
  NOT_IMPLEMENTED_ERROR: 'bad-signature',
};

function readJson(bytes: Buffer, input: string, maxBytes: number): unknown {
  return parseBoundedJson(bytes, input, { maxBytes, maxDepth: MAX_JSON_DEPTH });
}

interface Statement {
  _type?: unknown;
  predicateType?: unknown;
  subject?: unknown;
}

function statementOf(payloadType: string, payload: Buffer, input: string): BundleVerification['statement'] {
  if (payloadType !== 'application/vnd.in-toto+json') return undefined;
  let s: Statement;
  try {
    s = readJson(payload, `${input} (DSSE payload)`, MAX_BUNDLE_BYTES) as Statement;
  } catch {
    return undefined;
  }
  if (!s || typeof s !== 'object') return undefined;
  const subjects = Array.isArray(s.subject)
    ? (s.subject as { name?: unknown; digest?: { sha256?: unknown } }[]).slice(0, 1000).map((x) => ({
        name: typeof x?.name === 'string' ? x.name : '',
        ...(typeof x?.digest?.sha256 === 'string' ? { sha256: x.digest.sha256 } : {}),
      }))
    : [];
  return {
    ...(typeof s._type === 'string' ? { type: s._type } : {}),
    ...(typeof s.predicateType === 'string' ? { predicateType: s.predicateType } : {}),
    subjects,
  };
}

export async function verifyBundle(
  inputs: BundleInputs,
  policy: BundleIdentityPolicy = {},
): Promise<BundleVerification> {
  const [{ bundleFromJSON }, { TrustedRoot }, verify] = await Promise.all([
    import('@sigstore/bundle'),
    import('@sigstore/protobuf-specs'),
    import('@sigstore/verify'),
  ]);
  const { bundleInput, trustedRootInput } = inputs;
  const bundleJson = readJson(inputs.bundle, bundleInput, MAX_BUNDLE_BYTES);
  let bundle;
  try {
    bundle = bundleFromJSON(bundleJson);
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not a Sigstore bundle: ${(e as Error).message}`, {
      input: bundleInput,
      cause: e,
    });
  }
  const rootJson = readJson(inputs.trustedRoot, trustedRootInput, MAX_TRUSTED_ROOT_BYTES);
  let material;
  try {
    if (!rootJson || typeof rootJson !== 'object' || !('certificateAuthorities' in rootJson)) {
      throw new Error('no certificateAuthorities');
    }
    material = verify.toTrustMaterial(TrustedRoot.fromJSON(rootJson));
  } catch (e) {
    throw new BulwarkError('MALFORMED_INPUT', `not a Sigstore trusted root: ${(e as Error).message}`, {
      input: trustedRootInput,
      cause: e,
    });
  }

  const isDsse = bundle.content.$case === 'dsseEnvelope';
  const base: BundleVerification = {
    verified: false,
    message: '',
    mediaType: bundle.mediaType,
    content: isDsse ? 'dsse' : 'message-signature',
    tlog: bundle.verificationMaterial.tlogEntries.map((t) => ({
      logIndex: t.logIndex,
      ...(t.integratedTime && t.integratedTime !== '0'
        ? { integratedTime: new Date(Number(t.integratedTime) * 1000).toISOString() }
        : {}),
    })),
  };
  if (bundle.content.$case === 'dsseEnvelope') {
    const env = bundle.content.dsseEnvelope;
    base.payloadType = env.payloadType;
    const statement = statementOf(env.payloadType, env.payload, bundleInput);
    if (statement) base.statement = statement;
  } else if (!inputs.artifact) {
    throw new BulwarkError('USAGE', 'the bundle holds a signature over a file: name the file to verify', {
      input: bundleInput,
    });
  }
  const fail = (reason: FailureReason, check: string, message: string): BundleVerification => ({
    ...base,
    reason,
    check,
    message,
  });

  let signer;
  try {
    const entity = verify.toSignedEntity(bundle, isDsse ? undefined : inputs.artifact);
    const exact = {
      ...(policy.identity !== undefined ? { subjectAlternativeName: policy.identity } : {}),
      ...(policy.oidcIssuer !== undefined ? { extensions: { issuer: policy.oidcIssuer } } : {}),
    };
    signer = new verify.Verifier(material).verify(entity, exact);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code in REASONS) {
      return fail(REASONS[code]!, code, (e as Error).message);
    }
    throw new BulwarkError('MALFORMED_INPUT', `bundle could not be verified: ${(e as Error).message}`, {
      input: bundleInput,
      cause: e,
    });
  }
  const san = signer.identity?.subjectAlternativeName;
  const issuer = signer.identity?.extensions?.issuer;
  base.signer = {
    ...(san !== undefined ? { subjectAlternativeName: san } : {}),
    ...(issuer !== undefined ? { issuer } : {}),
  };
  if (policy.identityRegexp && !policy.identityRegexp.test(san ?? '')) {
    return fail(
      'certificate-untrusted',
      'IDENTITY',
      `certificate identity "${san ?? ''}" does not match ${String(policy.identityRegexp)}`,
    );
  }
  if (policy.oidcIssuerRegexp && !policy.oidcIssuerRegexp.test(issuer ?? '')) {
    return fail(
      'certificate-untrusted',
      'IDENTITY',
      `certificate OIDC issuer "${issuer ?? ''}" does not match ${String(policy.oidcIssuerRegexp)}`,
    );
  }
  if (isDsse && inputs.artifact) {
    const hex = createHash('sha256').update(inputs.artifact).digest('hex');
    const subjects = base.statement?.subjects ?? [];
    if (!subjects.some((s) => s.sha256 === hex)) {
      return fail(
        'digest-mismatch',
        'SUBJECT',
        `the attestation's subjects (${subjects.map((s) => `sha256:${s.sha256 ?? '?'}`).join(', ') || 'none'}) do not name ${inputs.artifactInput ?? 'the file'} (sha256:${hex})`,
      );
    }
  }
  const who = san ? `${san}${issuer ? ` (issuer ${issuer})` : ''}` : 'the bundle key';
  return { ...base, verified: true, message: `verified: signed by ${who}` };
}
