/**
 * The `signatures` section of a policy as the trust module's TrustPolicy values, and the
 * signature fact of an image checked against them (through the same verifyImageSignatures the
 * `bulwark verify` command uses).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import type { RegistryClient } from '../registry/index.js';
import {
  loadCertificates,
  loadPublicKey,
  verifyImageSignatures,
  type PayloadCache,
  type TrustPolicy,
} from '../sign/index.js';
import type { SignatureFact } from './facts.js';
import type { LoadedPolicy } from './load.js';

const MAX_FILE = 1024 * 1024;

async function small(file: string, policyFile: string): Promise<string> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    throw new BulwarkError('CONFIG', `policy names a file that cannot be read: ${(e as Error).message}`, {
      input: policyFile,
      cause: e,
    });
  }
  if (data.length > MAX_FILE)
    throw new BulwarkError('LIMIT_EXCEEDED', `file of ${data.length} bytes exceeds ${MAX_FILE}`, {
      input: file,
    });
  return data.toString('utf8');
}

function regexp(v: string | undefined, policyFile: string): RegExp | undefined {
  if (v === undefined) return undefined;
  try {
    return new RegExp(v);
  } catch (e) {
    throw new BulwarkError('CONFIG', `invalid regular expression ${JSON.stringify(v)}`, {
      input: policyFile,
      cause: e,
    });
  }
}

/**
 * One TrustPolicy for the keys, one per certificate entry (each has its own identity
 * constraints); an image verifies when a signature passes any of them. Paths are relative to the
 * policy file.
 */
export async function trustPoliciesOf(loaded: LoadedPolicy): Promise<TrustPolicy[]> {
  const s = loaded.policy.spec.signatures;
  if (!s) return [];
  const at = (f: string) => path.resolve(loaded.baseDir, f);
  const annotations = s.annotations ?? {};
  const out: TrustPolicy[] = [];
  if (s.keys.length) {
    const keys = [];
    for (const k of s.keys) keys.push(loadPublicKey(await small(at(k), loaded.file), at(k)));
    out.push({ keys, annotations });
  }
  for (const c of s.certificates) {
    const roots = loadCertificates(await small(at(c.roots), loaded.file), at(c.roots));
    const intermediates = c.intermediates
      ? loadCertificates(await small(at(c.intermediates), loaded.file), at(c.intermediates))
      : [];
    const identityRegexp = regexp(c.identityRegexp, loaded.file);
    const oidcIssuerRegexp = regexp(c.issuerRegexp, loaded.file);
    out.push({
      certificates: {
        roots,
        intermediates,
        ...(c.identity ? { identity: c.identity } : {}),
        ...(identityRegexp ? { identityRegexp } : {}),
        ...(c.issuer ? { oidcIssuer: c.issuer } : {}),
        ...(oidcIssuerRegexp ? { oidcIssuerRegexp } : {}),
      },
      annotations,
    });
  }
  return out;
}

/**
 * Checks an image's cosign signatures against each trust policy in turn. A registry that cannot
 * be reached gives no fact (undefined: the policy's `missingFacts` decides) and a warning.
 */
export async function signatureFact(
  image: string,
  trusts: readonly TrustPolicy[],
  client: RegistryClient,
  cache: PayloadCache,
  warn: (message: string) => void,
): Promise<SignatureFact | undefined> {
  let last: SignatureFact | undefined;
  for (const trust of trusts) {
    try {
      const v = await verifyImageSignatures(image, trust, { client, cache });
      if (v.verified) return { verified: true, message: v.message };
      last = { verified: false, ...(v.reason ? { reason: v.reason } : {}), message: v.message };
    } catch (e) {
      if (!isBulwarkError(e)) throw e;
      if (e.code === 'REGISTRY_NOT_FOUND')
        return { verified: false, reason: 'no-signatures', message: `image not found: ${e.message}` };
      warn(`cannot check the signatures of ${image}: ${e.toDisplayString()}`);
      return undefined;
    }
  }
  return last;
}
