import type { Readable } from 'node:stream';
import type { LayerInfo } from '../core/types.js';

/** One layer as the source describes it. `digest` is the blob as stored; `diffId` the uncompressed tar. */
export interface LayerDescriptor extends LayerInfo {
  mediaType: string;
  /** compressed size in bytes as declared by the manifest (or file size for archives) */
  size: number;
}

/** The parsed OCI/Docker image config (`application/vnd.oci.image.config.v1+json`), as much as bulwark reads. */
export interface ImageConfigJson {
  architecture?: string;
  os?: string;
  variant?: string;
  config?: {
    User?: string;
    Env?: string[];
    Labels?: Record<string, string> | null;
    Healthcheck?: unknown;
    ExposedPorts?: Record<string, unknown> | null;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    WorkingDir?: string;
  };
  rootfs?: { type: string; diff_ids: string[] };
  history?: { created?: string; created_by?: string; empty_layer?: boolean; comment?: string }[];
}

export interface ResolvedImage {
  /** what the user named (reference or path) */
  name: string;
  /** manifest digest, when the source has one */
  manifestDigest?: string;
  /** config blob digest (the image id) */
  configDigest: string;
  config: ImageConfigJson;
  /** layers bottom-up, with history `created_by` attached */
  layers: LayerDescriptor[];
  /** `os/arch[/variant]` */
  platform: string;
  repoTags?: string[];
  repoDigests?: string[];
}

/**
 * Where an image comes from: registry, docker-archive, oci-layout, daemon. A source resolves the
 * image once, then streams each layer blob exactly once, verifying its digest as it streams
 * (the stream errors with DIGEST_MISMATCH at its end when the bytes are wrong).
 */
export interface ImageSource {
  readonly name: string;
  resolve(): Promise<ResolvedImage>;
  openLayer(layer: LayerDescriptor): Promise<Readable>;
  close(): Promise<void>;
}
