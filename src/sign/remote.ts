/**
 * Reading and writing cosign's signature images through bulwark's registry client. Reads are
 * bounded: a signature manifest by the client's manifest limit, every payload by `maxPayloadBytes`
 * before a byte is fetched (a layer declaring 1 GB is refused from its descriptor alone).
 */
import { BulwarkError } from '../core/errors.js';
import {
  isDigest,
  manifestReference,
  parseReference,
  type Descriptor,
  type ImageReference,
  type RegistryClient,
  imageManifestSchema,
} from '../registry/index.js';
import { parseBoundedJson } from './encoding.js';
import { appendSignatures, signatureTag, type NewLayer, type SignatureKind } from './layout.js';

/** cosign's own default bound on one signature or attestation payload is 128 MiB; bulwark's is tighter. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

export interface SignatureManifest {
  tag: string;
  digest: string;
  layers: Descriptor[];
  config?: Record<string, unknown>;
}

export function toReference(ref: string | ImageReference): ImageReference {
  return typeof ref === 'string' ? parseReference(ref) : ref;
}

/** The digest the reference names: its pinned digest, else what the tag points at now (index or manifest). */
export async function resolveDigest(client: RegistryClient, ref: ImageReference): Promise<string> {
  if (ref.digest) return ref.digest;
  const m = await client.getManifest(ref, manifestReference(ref));
  return m.digest;
}

/** The `.sig`/`.att` manifest for a digest, or undefined when the registry answers 404. */
export async function fetchSignatureManifest(
  client: RegistryClient,
  ref: ImageReference,
  digest: string,
  kind: SignatureKind,
  opts: { withConfig?: boolean } = {},
): Promise<SignatureManifest | undefined> {
  const tag = signatureTag(digest, kind);
  let fetched;
  try {
    fetched = await client.getManifest(ref, tag);
  } catch (e) {
    if (e instanceof BulwarkError && e.code === 'REGISTRY_NOT_FOUND') return undefined;
    throw e;
  }
  const input = `${ref.name}:${tag}`;
  const parsed = imageManifestSchema.safeParse(fetched.json);
  if (!parsed.success) {
    throw new BulwarkError('MALFORMED_INPUT', 'signature manifest is not an image manifest', { input });
  }
  let config: Record<string, unknown> | undefined;
  if (opts.withConfig) {
    const raw = await client.getBlobBuffer(ref, parsed.data.config);
    const json = parseBoundedJson(raw, `${ref.name}@${parsed.data.config.digest}`, { maxDepth: 16 });
    if (json && typeof json === 'object' && !Array.isArray(json)) config = json as Record<string, unknown>;
  }
  return { tag, digest: fetched.digest, layers: parsed.data.layers, ...(config ? { config } : {}) };
}

/** One payload blob, refused before download when its descriptor is larger than the bound. */
export async function fetchPayload(
  client: RegistryClient,
  ref: ImageReference,
  layer: Pick<Descriptor, 'digest' | 'size'>,
  maxBytes = DEFAULT_MAX_PAYLOAD_BYTES,
): Promise<Buffer> {
  if (layer.size > maxBytes) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `signature layer declares ${layer.size} bytes, limit ${maxBytes}`,
      {
        input: `${ref.name}@${layer.digest}`,
      },
    );
  }
  return client.getBlobBuffer(ref, layer);
}

export interface WriteResult {
  tag: string;
  /** digest of the new `.sig`/`.att` manifest */
  digest: string;
  /** layers in the manifest after the write */
  count: number;
}

/**
 * Appends layers to the signature image of `digest` (creating it when absent) and pushes payloads,
 * config and manifest. Signatures already there are kept, as cosign keeps them.
 */
export async function appendToRegistry(
  client: RegistryClient,
  ref: ImageReference,
  digest: string,
  kind: SignatureKind,
  added: NewLayer[],
  /** the current signature image when already fetched (with its config); null when known absent */
  existing?: SignatureManifest | null,
): Promise<WriteResult> {
  const current =
    existing === undefined
      ? await fetchSignatureManifest(client, ref, digest, kind, { withConfig: true })
      : existing;
  const image = appendSignatures(current ?? undefined, added);
  for (const a of added) await client.pushBlob(ref, a.data);
  await client.pushBlob(ref, image.config);
  const tag = signatureTag(digest, kind);
  const pushed = await client.pushManifest(
    ref,
    tag,
    image.manifest,
    'application/vnd.oci.image.manifest.v1+json',
  );
  return { tag, digest: pushed, count: image.layers.length };
}

export function isPinned(ref: ImageReference): boolean {
  return Boolean(ref.digest && isDigest(ref.digest));
}
