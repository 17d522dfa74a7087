/**
 * Where and how cosign stores signatures and attestations in a registry: the tag
 * `sha256-<hex>.sig` (`.att`) in the image's repository names an OCI image manifest, one layer per
 * signature, built by go-containerregistry's `mutate.Append` on an empty image. The config and
 * manifest below are written in go-containerregistry's field order so the bytes match cosign's.
 */
import { createHash } from 'node:crypto';
import { BulwarkError } from '../core/errors.js';
import { MEDIA_TYPES, type Descriptor } from '../registry/index.js';
import { goJson, sortKeys } from './encoding.js';

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
export const SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature';
export const CERTIFICATE_ANNOTATION = 'dev.sigstore.cosign/certificate';
export const CHAIN_ANNOTATION = 'dev.sigstore.cosign/chain';
export const BUNDLE_ANNOTATION = 'dev.sigstore.cosign/bundle';
export const PREDICATE_TYPE_ANNOTATION = 'predicateType';
/** cosign refuses to read or write more signature layers than this */
export const MAX_SIGNATURE_LAYERS = 1000;
const ZERO_TIME = '0001-01-01T00:00:00Z';

export type SignatureKind = 'sig' | 'att';

/** `sha256:abc...` -> `sha256-abc....sig` */
export function signatureTag(digest: string, kind: SignatureKind = 'sig'): string {
  if (!/^sha256:[a-f0-9]{64}$/.test(digest)) {
    throw new BulwarkError('UNSUPPORTED', `cosign tags need a sha256 digest, not ${digest}`, {
      input: digest,
    });
  }
  return `${digest.replace(':', '-')}.${kind}`;
}

export interface NewLayer {
  data: Buffer;
  mediaType: string;
  annotations: Record<string, string>;
}

export interface SignatureImage {
  config: Buffer;
  manifest: Buffer;
  layers: Descriptor[];
}

interface HistoryEntry {
  author?: string;
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** A config object re-marshalled in go-containerregistry's `ConfigFile` field order. */
function marshalConfig(cfg: Record<string, unknown>, history: HistoryEntry[], diffIds: string[]): Buffer {
  const pick = (k: string) => (cfg[k] === undefined || cfg[k] === '' ? {} : { [k]: cfg[k] });
  const out = {
    architecture: typeof cfg.architecture === 'string' ? cfg.architecture : '',
    ...pick('author'),
    ...pick('container'),
    created: typeof cfg.created === 'string' ? cfg.created : ZERO_TIME,
    ...pick('docker_version'),
    ...(history.length ? { history: history.map(marshalHistory) } : {}),
    os: typeof cfg.os === 'string' ? cfg.os : '',
    rootfs: { type: 'layers', diff_ids: diffIds },
    config: cfg.config && typeof cfg.config === 'object' ? cfg.config : {},
    ...pick('os.version'),
    ...pick('variant'),
    ...(Array.isArray(cfg['os.features']) && cfg['os.features'].length
      ? { 'os.features': cfg['os.features'] }
      : {}),
  };
  return Buffer.from(goJson(out));
}

function marshalHistory(h: HistoryEntry): HistoryEntry {
  return {
    ...(h.author ? { author: h.author } : {}),
    created: h.created ?? ZERO_TIME,
    ...(h.created_by ? { created_by: h.created_by } : {}),
    ...(h.comment ? { comment: h.comment } : {}),
    ...(h.empty_layer ? { empty_layer: true } : {}),
  };
}

function sha256(b: Buffer): string {
  return `sha256:${createHash('sha256').update(b).digest('hex')}`;
}

function marshalDescriptor(d: Descriptor): Record<string, unknown> {
  return {
    mediaType: d.mediaType,
    size: d.size,
    digest: d.digest,
    ...(d.urls?.length ? { urls: d.urls } : {}),
    ...(d.annotations && Object.keys(d.annotations).length ? { annotations: sortKeys(d.annotations) } : {}),
  };
}

export interface ExistingSignatures {
  /** the current `.sig`/`.att` manifest's layers */
  layers: Descriptor[];
  /** its config, parsed */
  config?: Record<string, unknown>;
}

/**
 * The signature image after appending `added` to `existing` (or to an empty image), as cosign's
 * `mutate.AppendSignatures` produces it: one history entry and one diff_id per layer (signature
 * layers are uncompressed, so the diff_id is the layer digest).
 */
export function appendSignatures(
  existing: ExistingSignatures | undefined,
  added: NewLayer[],
): SignatureImage {
  const before = existing?.layers ?? [];
  if (before.length + added.length > MAX_SIGNATURE_LAYERS) {
    throw new BulwarkError('LIMIT_EXCEEDED', `more than ${MAX_SIGNATURE_LAYERS} signatures on one image`);
  }
  const cfg = existing?.config ?? {};
  const rootfs = (cfg.rootfs ?? {}) as { diff_ids?: unknown };
  const oldDiffIds =
    Array.isArray(rootfs.diff_ids) && rootfs.diff_ids.length === before.length
      ? (rootfs.diff_ids as string[])
      : before.map((l) => l.digest);
  const oldHistory = Array.isArray(cfg.history) ? (cfg.history as HistoryEntry[]) : before.map(() => ({}));
  const newLayers: Descriptor[] = added.map((a) => ({
    mediaType: a.mediaType,
    size: a.data.length,
    digest: sha256(a.data),
    annotations: a.annotations,
  }));
  const layers = [...before, ...newLayers];
  const config = marshalConfig(
    cfg,
    [...oldHistory, ...added.map(() => ({}))],
    [...oldDiffIds, ...newLayers.map((l) => l.digest)],
  );
  const manifest = Buffer.from(
    goJson({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { mediaType: MEDIA_TYPES.ociConfig, size: config.length, digest: sha256(config) },
      layers: layers.map(marshalDescriptor),
    }),
  );
  return { config, manifest, layers };
}
