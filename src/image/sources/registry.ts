import type { Readable } from 'node:stream';
import { RegistryClient, type RegistryClientOptions } from '../../registry/client.js';
import { parseReference, type ImageReference } from '../../registry/reference.js';
import { resolveImage, type RegistryResolvedImage } from '../../registry/resolve.js';
import type { ImageSource, LayerDescriptor } from '../types.js';

export interface RegistrySourceOptions extends RegistryClientOptions {
  /** reuse a client (its connections, tokens and credentials); it is not closed by the source */
  client?: RegistryClient;
}

/** An image pulled from a registry: resolves once, then streams each verified layer blob. */
export function registrySource(
  refLike: string | ImageReference,
  opts: RegistrySourceOptions = {},
): ImageSource {
  const ref = typeof refLike === 'string' ? parseReference(refLike) : refLike;
  const owned = !opts.client;
  const client = opts.client ?? new RegistryClient(opts);
  let resolved: Promise<RegistryResolvedImage> | undefined;
  return {
    name: ref.original,
    resolve() {
      resolved ??= resolveImage(client, ref, opts.platform ? { platform: opts.platform } : {});
      return resolved;
    },
    openLayer(layer: LayerDescriptor): Promise<Readable> {
      return client.openBlob(ref, { digest: layer.digest, size: layer.size });
    },
    async close() {
      if (owned) client.close();
    },
  };
}
