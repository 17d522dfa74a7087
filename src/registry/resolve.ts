import { BulwarkError } from '../core/errors.js';
import type { ImageConfigJson, LayerDescriptor, ResolvedImage } from '../image/types.js';
import type { RegistryClient } from './client.js';
import { isIndexMediaType } from './media-types.js';
import { formatPlatform, parsePlatform, selectPlatform } from './platform.js';
import { manifestReference, parseReference, type ImageReference } from './reference.js';
import { imageConfigSchema, imageManifestSchema, indexSchema, type Descriptor } from './schemas.js';

export interface RegistryResolvedImage extends ResolvedImage {
  reference: ImageReference;
  /** digest of the index the platform was picked from, when the tag names a multi-platform image */
  indexDigest?: string;
  configDescriptor: Descriptor;
}

export interface ResolveOptions {
  /** overrides the client's platform */
  platform?: string;
}

/**
 * Resolves a reference to one platform's manifest, its config and its layers (diffIDs from the
 * config, `created_by` from non-empty history entries in order).
 */
export async function resolveImage(
  client: RegistryClient,
  refLike: string | ImageReference,
  opts: ResolveOptions = {},
): Promise<RegistryResolvedImage> {
  const ref = typeof refLike === 'string' ? parseReference(refLike) : refLike;
  const top = await client.getManifest(ref, manifestReference(ref));
  let manifest = top;
  let indexDigest: string | undefined;
  if (isIndexMediaType(top.mediaType)) {
    const index = indexSchema.safeParse(top.json);
    if (!index.success)
      throw new BulwarkError('MALFORMED_INPUT', 'image index is malformed', { input: ref.canonical });
    const chosen = selectPlatform(index.data.manifests, {
      platform: opts.platform ?? client.platform,
      host: client.hostPlatform,
      input: ref.canonical,
    });
    indexDigest = top.digest;
    manifest = await client.getManifest(ref, chosen.digest);
    if (isIndexMediaType(manifest.mediaType)) {
      throw new BulwarkError('UNSUPPORTED', 'nested image indexes are not supported', {
        input: ref.canonical,
      });
    }
  }
  const parsed = imageManifestSchema.safeParse(manifest.json);
  if (!parsed.success) {
    throw new BulwarkError(
      'MALFORMED_INPUT',
      `image manifest is malformed: ${parsed.error.issues[0]?.message ?? ''}`,
      {
        input: `${ref.name}@${manifest.digest}`,
      },
    );
  }
  const m = parsed.data;
  if (m.layers.length > client.limits.maxLayers) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `image has ${m.layers.length} layers, limit ${client.limits.maxLayers}`,
      {
        input: ref.canonical,
      },
    );
  }
  const configBytes = await client.getBlobBuffer(ref, m.config);
  let configJson: unknown;
  try {
    configJson = JSON.parse(configBytes.toString('utf8'));
  } catch {
    throw new BulwarkError('MALFORMED_INPUT', 'image config is not valid JSON', {
      input: `${ref.name}@${m.config.digest}`,
    });
  }
  const cfg = imageConfigSchema.safeParse(configJson);
  if (!cfg.success) {
    throw new BulwarkError('MALFORMED_INPUT', 'image config is malformed (rootfs.diff_ids missing?)', {
      input: `${ref.name}@${m.config.digest}`,
    });
  }
  const config = cfg.data as ImageConfigJson;
  const platform = formatPlatform({
    os: cfg.data.os,
    architecture: cfg.data.architecture,
    variant: cfg.data.variant,
  });
  const asked = opts.platform ?? client.platform;
  if (!indexDigest && asked) {
    // A single-platform image is only acceptable when it is the platform the user asked for.
    const want = parsePlatform(asked);
    const variantOk = !want.variant || !cfg.data.variant || want.variant === cfg.data.variant;
    if (want.os !== cfg.data.os || want.architecture !== cfg.data.architecture || !variantOk) {
      throw new BulwarkError('UNSUPPORTED', `image is ${platform} only, not ${asked}`, {
        input: ref.canonical,
      });
    }
  }
  const diffIds = cfg.data.rootfs.diff_ids;
  if (diffIds.length !== m.layers.length) {
    throw new BulwarkError(
      'MALFORMED_INPUT',
      `manifest has ${m.layers.length} layers but the config lists ${diffIds.length} diff_ids`,
      { input: ref.canonical },
    );
  }
  const createdBy = (cfg.data.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by);
  const layers: LayerDescriptor[] = m.layers.map((l, index) => ({
    index,
    digest: l.digest,
    diffId: diffIds[index]!,
    mediaType: l.mediaType,
    size: l.size,
    ...(createdBy[index] ? { createdBy: createdBy[index] } : {}),
  }));
  return {
    name: ref.original,
    reference: ref,
    manifestDigest: manifest.digest,
    ...(indexDigest ? { indexDigest } : {}),
    configDigest: m.config.digest,
    configDescriptor: m.config,
    config,
    layers,
    platform: formatPlatform({
      os: cfg.data.os,
      architecture: cfg.data.architecture,
      variant: cfg.data.variant,
    }),
    repoTags: ref.tag ? [`${ref.name}:${ref.tag}`] : [],
    repoDigests: [`${ref.name}@${indexDigest ?? top.digest}`],
  };
}
