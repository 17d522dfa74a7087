/**
 * Flags and helpers shared by the trust commands (key, sign, verify, sign-blob, verify-blob, attest,
 * verify-attestation): key files, passwords, X.509 trust flags, the registry client, rendering.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { BulwarkError, ERROR_CODES } from '../core/errors.js';
import type { RegistryClient } from '../registry/index.js';
import type {
  CertificateSummary,
  CertificateTrust,
  FailureReason,
  SignatureCheck,
  SigningKey,
  TrustPolicy,
  VerificationKey,
} from '../sign/index.js';
import type { CliContext } from './context.js';
import { imageSourceOptions } from './scan-common.js';

const MAX_KEY_FILE_BYTES = 1024 * 1024;

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseBool(v: string): boolean {
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new Error(`expected true or false, got "${v}"`);
}

/** Reads a small text file (key, certificate, signature), naming it in errors. */
export async function readSmallFile(path: string, max = MAX_KEY_FILE_BYTES): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (e) {
    throw new BulwarkError('INPUT_NOT_FOUND', `cannot read: ${(e as Error).message}`, {
      input: path,
      cause: e,
    });
  }
  if (data.length > max)
    throw new BulwarkError('LIMIT_EXCEEDED', `file of ${data.length} bytes exceeds ${max}`, { input: path });
  return data;
}

export async function loadSigningKeyFile(
  path: string,
  ctx: CliContext,
  confirm = false,
): Promise<SigningKey> {
  const sign = await import('../sign/index.js');
  const text = (await readSmallFile(path)).toString('utf8');
  return sign.loadPrivateKey(
    text,
    () => sign.readPassword({ env: ctx.env, stdin: process.stdin, prompt: ctx.stderr, confirm, input: path }),
    path,
  );
}

export async function loadPublicKeyFiles(paths: string[]): Promise<VerificationKey[]> {
  const sign = await import('../sign/index.js');
  const out: VerificationKey[] = [];
  for (const p of paths) out.push(sign.loadPublicKey((await readSmallFile(p)).toString('utf8'), p));
  return out;
}

export function registryClientFor(
  flags: { insecure?: boolean; dockerConfig?: string },
  ctx: CliContext,
  Client: typeof RegistryClient,
): RegistryClient {
  return new Client(imageSourceOptions({ ...flags, daemon: false }, ctx).registry);
}

export function addRegistryOptions(cmd: Command): Command {
  return cmd
    .option('--insecure', 'allow plain HTTP and unverified TLS to a non-loopback registry')
    .option(
      '--docker-config <file>',
      'Docker credentials file (default $DOCKER_CONFIG/config.json or ~/.docker/config.json)',
    );
}

/** The verification flags cosign's `verify` has, spelt as cosign spells them. */
export function addTrustOptions(cmd: Command): Command {
  return cmd
    .option('--key <file>', 'public key (PEM) that must have signed; repeat for several', collect)
    .option(
      '--cert <file>',
      'signing certificate to verify with (default: the one attached to each signature)',
    )
    .option('--certificate <file>', 'same as --cert')
    .option(
      '--cert-chain <file>',
      'PEM chain of the signing certificate up to its root; self-signed certificates in it are the trust anchors',
    )
    .option('--certificate-chain <file>', 'same as --cert-chain')
    .option('--ca-roots <file>', 'PEM file of trusted root certificates')
    .option('--ca-intermediates <file>', 'PEM file of intermediate certificates')
    .option(
      '--certificate-identity <san>',
      'the certificate must name exactly this identity (email, URI, DNS, IP)',
    )
    .option(
      '--certificate-identity-regexp <re>',
      'the certificate must name an identity matching this regular expression',
    )
    .option(
      '--certificate-oidc-issuer <url>',
      "the certificate's OIDC issuer (Fulcio extension) must be exactly this",
    )
    .option(
      '--certificate-oidc-issuer-regexp <re>',
      "the certificate's OIDC issuer must match this regular expression",
    );
}

export interface TrustFlags {
  key?: string[];
  cert?: string;
  certificate?: string;
  certChain?: string;
  certificateChain?: string;
  caRoots?: string;
  caIntermediates?: string;
  certificateIdentity?: string;
  certificateIdentityRegexp?: string;
  certificateOidcIssuer?: string;
  certificateOidcIssuerRegexp?: string;
}

function regexp(v: string | undefined, flag: string): RegExp | undefined {
  if (v === undefined) return undefined;
  try {
    return new RegExp(v);
  } catch (e) {
    throw new BulwarkError('USAGE', `${flag}: ${(e as Error).message}`, { input: v });
  }
}

/** A TrustPolicy from the flags; `extraKeys` are keys the caller trusts besides --key (configuration). */
export async function trustPolicyFromFlags(
  flags: TrustFlags,
  extra: { keys?: VerificationKey[]; knownKeys?: VerificationKey[]; time?: Date } = {},
): Promise<TrustPolicy> {
  const sign = await import('../sign/index.js');
  const keys = [...(await loadPublicKeyFiles(flags.key ?? [])), ...(extra.keys ?? [])];
  const certFile = flags.cert ?? flags.certificate;
  const chainFile = flags.certChain ?? flags.certificateChain;
  const certs = async (f: string | undefined) =>
    f ? sign.loadCertificates((await readSmallFile(f)).toString('utf8'), f) : [];
  const chain = await certs(chainFile);
  const roots = await certs(flags.caRoots);
  const intermediates = await certs(flags.caIntermediates);
  const constraints = {
    ...(flags.certificateIdentity !== undefined ? { identity: flags.certificateIdentity } : {}),
    ...(flags.certificateIdentityRegexp !== undefined
      ? { identityRegexp: regexp(flags.certificateIdentityRegexp, '--certificate-identity-regexp')! }
      : {}),
    ...(flags.certificateOidcIssuer !== undefined ? { oidcIssuer: flags.certificateOidcIssuer } : {}),
    ...(flags.certificateOidcIssuerRegexp !== undefined
      ? { oidcIssuerRegexp: regexp(flags.certificateOidcIssuerRegexp, '--certificate-oidc-issuer-regexp')! }
      : {}),
  };
  let certificates: CertificateTrust | undefined;
  if (chain.length || roots.length) {
    const fromChain = sign.trustFromChain(chain, constraints);
    certificates = {
      ...fromChain,
      roots: [...fromChain.roots, ...roots],
      intermediates: [...(fromChain.intermediates ?? []), ...intermediates],
    };
  } else if (certFile || Object.keys(constraints).length) {
    throw new BulwarkError(
      'USAGE',
      'certificate verification needs the trusted root: --cert-chain or --ca-roots',
    );
  }
  if (!keys.length && !certificates) {
    throw new BulwarkError(
      'USAGE',
      'name what to trust: --key PUB, or --cert-chain/--ca-roots for certificates',
    );
  }
  const [leaf] = await certs(certFile);
  return {
    ...(keys.length ? { keys } : {}),
    ...(extra.knownKeys?.length ? { knownKeys: extra.knownKeys } : {}),
    ...(certificates ? { certificates } : {}),
    ...(leaf ? { certificate: leaf } : {}),
    ...(extra.time ? { time: extra.time } : {}),
  };
}

export function describeCertificate(c: CertificateSummary, indent = '    '): string[] {
  return [
    `${indent}subject:     ${c.subject || '(empty)'}`,
    `${indent}issuer:      ${c.issuer}`,
    `${indent}SANs:        ${c.sans.join(', ') || '(none)'}`,
    ...(c.oidcIssuer ? [`${indent}OIDC issuer: ${c.oidcIssuer}`] : []),
    `${indent}valid:       ${c.notBefore} .. ${c.notAfter}`,
    ...(c.chain ? [`${indent}chain:       ${c.chain.join(' -> ')}`] : []),
  ];
}

/** One line per signature, then its certificate when it has one. */
export function renderChecks(checks: readonly SignatureCheck[]): string[] {
  const lines: string[] = [];
  for (const c of checks) {
    const verdict = c.verified ? 'OK  ' : 'FAIL';
    lines.push(
      `  ${verdict} #${c.index} ${c.layerDigest.slice(0, 19)}  ${c.reason ? `[${c.reason}] ` : ''}${c.message}`,
    );
    if (c.certificate) lines.push(...describeCertificate(c.certificate));
  }
  return lines;
}

/** Sets the exit code of a failed verification and prints `error[CODE] input: message`. */
export async function failWith(
  ctx: CliContext,
  reason: FailureReason | undefined,
  message: string,
  input: string,
): Promise<void> {
  const { REASON_CODES } = await import('../sign/index.js');
  const code = REASON_CODES[reason ?? 'no-signatures'];
  ctx.stderr.write(`${new BulwarkError(code, message, { input }).toDisplayString()}\n`);
  process.exitCode = ERROR_CODES[code];
}
