/**
 * The key stage of every verification (image signatures, attestations, blobs): does the signature
 * verify over the signed bytes with a trusted key or a trusted certificate? When it does not, say
 * `wrong-key` only with evidence of who did sign it (a known key, the attached certificate);
 * ECDSA alone cannot tell a tampered payload from another signer, so without evidence the answer
 * is `bad-signature`.
 */
import type { X509Certificate } from 'node:crypto';
import { verificationKey } from './keys.js';
import { verifyBytes } from './signature.js';
import type { FailureReason, TrustPolicy } from './types.js';
import { loadCertificates, summarize, verifyCertificate, type CertificateSummary } from './x509.js';

export interface SignedMaterial {
  /** the exact bytes that were signed (payload, or DSSE PAE) */
  data: Buffer;
  signature: Buffer;
  /** PEM annotations of the layer, when present */
  certificatePem?: string;
  chainPem?: string;
  input: string;
}

export type KeyStage =
  | { ok: true; key?: string; certificate?: CertificateSummary }
  | { ok: false; reason: FailureReason; message: string; certificate?: CertificateSummary };

function attached(pem: string | undefined, input: string): X509Certificate[] {
  if (!pem) return [];
  try {
    return loadCertificates(pem, input);
  } catch {
    return [];
  }
}

function keyVerifies(cert: X509Certificate, m: SignedMaterial): boolean {
  try {
    return verifyBytes(verificationKey(cert.publicKey, 'certificate', m.input), m.data, m.signature);
  } catch {
    return false; // a certificate key of a type bulwark does not sign with
  }
}

export function checkKeyStage(m: SignedMaterial, policy: TrustPolicy): KeyStage {
  for (const key of policy.keys ?? []) {
    if (verifyBytes(key, m.data, m.signature)) return { ok: true, key: key.name };
  }
  const attachedCerts = attached(m.certificatePem, m.input);
  const leaf = policy.certificate ?? attachedCerts[0];
  if (policy.certificates) {
    if (leaf && keyVerifies(leaf, m)) {
      const chain = attached(m.chainPem, m.input);
      const check = verifyCertificate(leaf, chain, policy.certificates, policy.time ?? new Date());
      if (!check.ok)
        return { ok: false, reason: check.reason, message: check.message, certificate: check.summary };
      return { ok: true, certificate: check.summary };
    }
  }
  for (const key of policy.knownKeys ?? []) {
    if (verifyBytes(key, m.data, m.signature)) {
      return {
        ok: false,
        reason: 'wrong-key',
        message: `signed by key "${key.name}", which is not trusted here`,
      };
    }
  }
  const cert = attachedCerts[0];
  if (cert && keyVerifies(cert, m) && !policy.certificates) {
    const summary = summarize(cert);
    return {
      ok: false,
      reason: 'wrong-key',
      message: `signed by the key of certificate "${summary.subject || summary.sans.join(', ')}", not by a trusted key`,
      certificate: summary,
    };
  }
  const tried = [
    ...(policy.keys ?? []).map((k) => `key "${k.name}"`),
    ...(policy.certificates ? [leaf ? 'the signing certificate' : 'a certificate (none attached)'] : []),
  ];
  return {
    ok: false,
    reason: 'bad-signature',
    message: `signature does not verify with ${tried.join(' or ') || 'any trusted key'} (payload changed, or signed by an unknown key)`,
  };
}
