import { BulwarkError } from '../core/errors.js';
import type { ImageConfigJson, LayerDescriptor } from './types.js';
import { parseJson } from './digest.js';
import { formatPlatform } from './platform.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses an image config, checking just the fields bulwark relies on. */
export function parseImageConfig(data: Buffer, input: string): ImageConfigJson {
  const v = parseJson(data, input);
  if (!isObject(v)) throw new BulwarkError('MALFORMED_INPUT', 'image config is not an object', { input });
  const rootfs = v.rootfs;
  if (rootfs !== undefined) {
    if (
      !isObject(rootfs) ||
      !Array.isArray(rootfs.diff_ids) ||
      rootfs.diff_ids.some((d) => typeof d !== 'string')
    ) {
      throw new BulwarkError('MALFORMED_INPUT', 'image config rootfs.diff_ids is not a list of digests', {
        input,
      });
    }
  }
  if (v.history !== undefined && !Array.isArray(v.history)) {
    throw new BulwarkError('MALFORMED_INPUT', 'image config history is not a list', { input });
  }
  return v as ImageConfigJson;
}

/** `created_by` of each non-empty history entry, in layer order. */
export function layerHistory(config: ImageConfigJson): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (const h of config.history ?? []) {
    if (!isObject(h) || h.empty_layer === true) continue;
    out.push(typeof h.created_by === 'string' ? h.created_by : undefined);
  }
  return out;
}

export function configPlatform(config: ImageConfigJson): string {
  return formatPlatform({
    os: config.os,
    architecture: config.architecture,
    ...(config.variant ? { variant: config.variant } : {}),
  });
}

/**
 * Joins blob descriptors with the config's diff_ids and history. A count mismatch means the image
 * is inconsistent, and an inconsistent image could attribute packages to the wrong layer.
 */
export function describeLayers(
  blobs: { digest: string; mediaType: string; size: number }[],
  config: ImageConfigJson,
  input: string,
  maxLayers: number,
): LayerDescriptor[] {
  if (blobs.length > maxLayers) {
    throw new BulwarkError('LIMIT_EXCEEDED', `image has ${blobs.length} layers, more than ${maxLayers}`, {
      input,
    });
  }
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== blobs.length) {
    throw new BulwarkError(
      'MALFORMED_INPUT',
      `manifest lists ${blobs.length} layers but the config has ${diffIds.length} diff_ids`,
      { input },
    );
  }
  const history = layerHistory(config);
  return blobs.map((b, index) => {
    const createdBy = history[index];
    return {
      index,
      digest: b.digest,
      diffId: diffIds[index]!,
      mediaType: b.mediaType,
      size: b.size,
      ...(createdBy !== undefined ? { createdBy } : {}),
    };
  });
}
