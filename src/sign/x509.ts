/**
 * X.509 trust for signatures made with a certificate (cosign `--cert`/`--cert-chain`, Fulcio):
 * the chain is built from the leaf to one of the given roots, every certificate must be valid at
 * the verification time, issuers must be CAs, the leaf must allow code signing, and the identity
 * constraints (`--certificate-identity`, `--certificate-oidc-issuer`) match as cosign's do.
 * node:crypto checks the signatures and names; @sigstore/core reads the extensions node does not
 * expose (SAN entries, Fulcio's OIDC issuer OIDs, key usage bits).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { X509Certificate as SigstoreCertificate } from '@sigstore/core';
import { BulwarkError } from '../core/errors.js';
import { parsePem } from './encoding.js';

/** Fulcio's OIDC issuer: v1 holds the raw string, v2 a DER UTF8String. */
export const OID_FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
export const OID_FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OID_CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
const OID_ANY_EKU = '2.5.29.37.0';
const MAX_CHAIN = 10;
const MAX_CERTS_PER_FILE = 64;

export interface IdentityConstraints {
  /** exact SAN (email, URI, DNS name or IP) */
  identity?: string;
  identityRegexp?: RegExp;
  /** exact OIDC issuer (Fulcio extension) */
  oidcIssuer?: string;
  oidcIssuerRegexp?: RegExp;
}

export interface CertificateTrust extends IdentityConstraints {
  /** trust anchors (the root of `--cert-chain`, or `--ca-roots`) */
  roots: X509Certificate[];
  /** intermediates offered besides those in the signature */
  intermediates?: X509Certificate[];
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** subject alternative names as `email:`, `URI:`, `DNS:`, `IP:` entries */
  sans: string[];
  /** the Fulcio OIDC issuer extension, when present */
  oidcIssuer?: string;
  notBefore: string;
  notAfter: string;
  serialNumber: string;
  /** `sha256:<hex>` of the DER */
  fingerprint: string;
  /** subjects from the leaf up to the root the chain was built to */
  chain?: string[];
}

export type CertificateFailure = 'certificate-expired' | 'certificate-untrusted';

export type CertificateCheck =
  | { ok: true; summary: CertificateSummary }
  | { ok: false; reason: CertificateFailure; message: string; summary: CertificateSummary };

/** Every certificate in a PEM text (bounded), or MALFORMED_INPUT naming the file. */
export function loadCertificates(text: string, input: string): X509Certificate[] {
  const blocks = parsePem(text).filter((b) => b.type === 'CERTIFICATE');
  if (blocks.length > MAX_CERTS_PER_FILE) {
    throw new BulwarkError('LIMIT_EXCEEDED', `more than ${MAX_CERTS_PER_FILE} certificates`, { input });
  }
  return blocks.map((b) => {
    try {
      return new X509Certificate(b.bytes);
    } catch (e) {
      throw new BulwarkError('MALFORMED_INPUT', 'not a valid X.509 certificate', { input, cause: e });
    }
  });
}

/** Splits a `--cert-chain` file: self-signed certificates are roots, the rest intermediates. */
export function trustFromChain(
  chain: X509Certificate[],
  constraints: IdentityConstraints = {},
): CertificateTrust {
  const roots = chain.filter(isSelfSigned);
  return { ...constraints, roots, intermediates: chain.filter((c) => !isSelfSigned(c)) };
}

function isSelfSigned(c: X509Certificate): boolean {
  return c.checkIssued(c) && c.verify(c.publicKey);
}

function generalNames(cert: SigstoreCertificate): string[] {
  const ext = cert.extSubjectAltName;
  if (!ext) return [];
  const out: string[] = [];
  // extnValue OCTET STRING > SEQUENCE OF GeneralName
  for (const gn of ext.valueObj.subs[0]?.subs ?? []) {
    const v = gn.value;
    switch (gn.tag.number) {
      case 1:
        out.push(`email:${v.toString('ascii')}`);
        break;
      case 2:
        out.push(`DNS:${v.toString('ascii')}`);
        break;
      case 6:
        out.push(`URI:${v.toString('ascii')}`);
        break;
      case 7:
        out.push(`IP:${v.length === 4 ? [...v].join('.') : v.toString('hex')}`);
        break;
    }
  }
  return out;
}

function oidcIssuerOf(cert: SigstoreCertificate): string | undefined {
  const v2 = cert.extension(OID_FULCIO_ISSUER_V2);
  const inner = v2?.valueObj.subs[0];
  if (inner) return inner.value.toString('utf8');
  return cert.extension(OID_FULCIO_ISSUER_V1)?.value.toString('utf8');
}

export function summarize(cert: X509Certificate): CertificateSummary {
  const parsed = SigstoreCertificate.parse(cert.raw);
  const oidcIssuer = oidcIssuerOf(parsed);
  return {
    subject: cert.subject.replace(/\n/g, ', '),
    issuer: cert.issuer.replace(/\n/g, ', '),
    sans: generalNames(parsed),
    ...(oidcIssuer ? { oidcIssuer } : {}),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
    serialNumber: cert.serialNumber,
    fingerprint: `sha256:${createHash('sha256').update(cert.raw).digest('hex')}`,
  };
}

function validAt(c: X509Certificate, at: Date): boolean {
  return new Date(c.validFrom).getTime() <= at.getTime() && at.getTime() <= new Date(c.validTo).getTime();
}

function allowsCodeSigning(c: X509Certificate, leaf: boolean): boolean {
  const eku = c.keyUsage as string[] | undefined;
  // The leaf must say so; a CA without the extension does not restrict its leaves.
  if (!eku) return !leaf;
  return eku.includes(OID_CODE_SIGNING) || eku.includes(OID_ANY_EKU);
}

/** Depth-first search for a path leaf -> ... -> root where each link is issued and signed. */
function buildChain(
  leaf: X509Certificate,
  pool: X509Certificate[],
  roots: X509Certificate[],
): X509Certificate[] | undefined {
  const walk = (cert: X509Certificate, path: X509Certificate[]): X509Certificate[] | undefined => {
    for (const root of roots) {
      if (cert.checkIssued(root) && cert.verify(root.publicKey)) return [...path, root];
      if (cert.raw.equals(root.raw)) return path;
    }
    if (path.length >= MAX_CHAIN) return undefined;
    for (const next of pool) {
      if (path.some((p) => p.raw.equals(next.raw))) continue;
      if (!next.ca || !cert.checkIssued(next) || !cert.verify(next.publicKey)) continue;
      const found = walk(next, [...path, next]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(leaf, [leaf]);
}

function identityProblem(summary: CertificateSummary, c: IdentityConstraints): string | undefined {
  const values = summary.sans.map((s) => s.slice(s.indexOf(':') + 1));
  if (c.identity !== undefined && !values.includes(c.identity)) {
    return `certificate identity ${JSON.stringify(values)} is not ${JSON.stringify(c.identity)}`;
  }
  if (c.identityRegexp && !values.some((v) => c.identityRegexp!.test(v))) {
    return `no certificate identity in ${JSON.stringify(values)} matches /${c.identityRegexp.source}/`;
  }
  if (c.oidcIssuer !== undefined && summary.oidcIssuer !== c.oidcIssuer) {
    return `certificate OIDC issuer ${JSON.stringify(summary.oidcIssuer ?? null)} is not ${JSON.stringify(c.oidcIssuer)}`;
  }
  if (
    c.oidcIssuerRegexp &&
    !(summary.oidcIssuer !== undefined && c.oidcIssuerRegexp.test(summary.oidcIssuer))
  ) {
    return `certificate OIDC issuer ${JSON.stringify(summary.oidcIssuer ?? null)} does not match /${c.oidcIssuerRegexp.source}/`;
  }
  return undefined;
}

/** Checks a signing certificate against the trust settings at time `at`. Pure; never throws for bad certs. */
export function verifyCertificate(
  leaf: X509Certificate,
  offered: X509Certificate[],
  trust: CertificateTrust,
  at: Date,
): CertificateCheck {
  const summary = summarize(leaf);
  const fail = (reason: CertificateFailure, message: string): CertificateCheck => ({
    ok: false,
    reason,
    message,
    summary,
  });
  if (trust.roots.length === 0) return fail('certificate-untrusted', 'no trusted root certificate was given');
  const chain = buildChain(leaf, [...(trust.intermediates ?? []), ...offered], trust.roots);
  if (!chain)
    return fail(
      'certificate-untrusted',
      `certificate issued by "${summary.issuer}" does not chain to a trusted root`,
    );
  summary.chain = chain.map((c) => c.subject.replace(/\n/g, ', '));
  for (const c of chain) {
    if (!validAt(c, at)) {
      const who = c === leaf ? 'certificate' : `chain certificate "${c.subject.replace(/\n/g, ', ')}"`;
      return fail(
        'certificate-expired',
        `${who} is valid ${new Date(c.validFrom).toISOString()} .. ${new Date(c.validTo).toISOString()}, not at ${at.toISOString()}`,
      );
    }
  }
  if (!allowsCodeSigning(leaf, true)) {
    return fail('certificate-untrusted', 'certificate does not allow code signing (extended key usage)');
  }
  const keyUsage = SigstoreCertificate.parse(leaf.raw).extKeyUsage;
  if (keyUsage && !keyUsage.digitalSignature) {
    return fail('certificate-untrusted', 'certificate key usage lacks digitalSignature');
  }
  for (const c of chain.slice(1)) {
    if (!allowsCodeSigning(c, false)) {
      return fail(
        'certificate-untrusted',
        `CA "${c.subject.replace(/\n/g, ', ')}" does not allow code signing`,
      );
    }
  }
  const problem = identityProblem(summary, trust);
  if (problem) return fail('certificate-untrusted', problem);
  return { ok: true, summary };
}
