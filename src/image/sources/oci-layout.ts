import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { BulwarkError } from '../../core/errors.js';
import { resolveLimits, type Limits } from '../../core/limits.js';
import { parseDigest, parseJson, verifyBuffer, verifyStream } from '../digest.js';
import { DirFileSet, TarFileSet, type FileSet } from '../file-set.js';
import { configPlatform, describeLayers, parseImageConfig } from '../image-config.js';
import { selectPlatform, type Platform } from '../platform.js';
import type { ImageSource, LayerDescriptor, ResolvedImage } from '../types.js';

export interface OciLayoutOptions {
  limits?: Partial<Limits>;
  /** `org.opencontainers.image.ref.name` to select (the part after `path:`) */
  tag?: string;
  /** `os/arch[/variant]`; default linux/amd64, then the host's */
  platform?: string;
  name?: string;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size?: number;
  platform?: Partial<Platform>;
  annotations?: Record<string, string>;
}

const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);
const MANIFEST_TYPES = new Set([
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
]);
const REF_NAME = 'org.opencontainers.image.ref.name';
const MAX_INDEX_DEPTH = 4;

function descriptors(v: unknown, key: 'manifests' | 'layers', input: string): Descriptor[] {
  const list = (v as Record<string, unknown> | null)?.[key];
  if (
    !Array.isArray(list) ||
    !list.every((d) => typeof d === 'object' && d !== null && typeof (d as Descriptor).digest === 'string')
  ) {
    throw new BulwarkError('MALFORMED_INPUT', `${key} is missing or not a list of descriptors`, { input });
  }
  return list as Descriptor[];
}

/** Reads an OCI image layout (directory or tar); blobs are confined to `blobs/`. */
export function ociLayoutFromFiles(files: FileSet, opts: OciLayoutOptions = {}): ImageSource {
  const limits: Limits = resolveLimits(opts.limits);
  const name = opts.name ?? (opts.tag ? `${files.location}:${opts.tag}` : files.location);

  const blobName = (digest: string): string => {
    const { algorithm, hex } = parseDigest(digest, `${files.location}:${digest}`);
    return `blobs/${algorithm}/${hex}`;
  };
  const readBlob = async (digest: string): Promise<Buffer> => {
    const input = `${files.location}:${blobName(digest)}`;
    const data = await files.read(blobName(digest), limits.maxManifestBytes);
    verifyBuffer(data, digest, input);
    return data;
  };

  /** Walks nested indexes down to image manifests, keeping the ref name seen on the way. */
  const collect = async (
    list: Descriptor[],
    depth: number,
    out: { d: Descriptor; ref?: string }[],
    ref?: string,
  ): Promise<void> => {
    for (const d of list) {
      const r = d.annotations?.[REF_NAME] ?? ref;
      if (d.mediaType && INDEX_TYPES.has(d.mediaType)) {
        if (depth >= MAX_INDEX_DEPTH) {
          throw new BulwarkError('LIMIT_EXCEEDED', 'indexes nested too deeply', { input: files.location });
        }
        const nested = parseJson(await readBlob(d.digest), `${files.location}:${d.digest}`);
        await collect(descriptors(nested, 'manifests', d.digest), depth + 1, out, r);
      } else if (!d.mediaType || MANIFEST_TYPES.has(d.mediaType)) {
        out.push({ d, ...(r !== undefined ? { ref: r } : {}) });
      }
    }
  };

  return {
    name,
    async resolve(): Promise<ResolvedImage> {
      const layoutFile = await files.size('oci-layout');
      if (layoutFile !== undefined) {
        const v = parseJson(await files.read('oci-layout', 4096), `${files.location}:oci-layout`) as {
          imageLayoutVersion?: unknown;
        } | null;
        if (typeof v?.imageLayoutVersion !== 'string' || !v.imageLayoutVersion.startsWith('1.')) {
          throw new BulwarkError('UNSUPPORTED', 'unknown OCI layout version', {
            input: `${files.location}:oci-layout`,
          });
        }
      }
      const indexInput = `${files.location}:index.json`;
      const index = parseJson(await files.read('index.json', limits.maxManifestBytes), indexInput);
      const found: { d: Descriptor; ref?: string }[] = [];
      await collect(descriptors(index, 'manifests', indexInput), 0, found);
      const tag = opts.tag;
      const tagged = tag ? found.filter((f) => f.ref === tag || f.ref?.endsWith(`:${tag}`)) : found;
      if (tag && tagged.length === 0) {
        const refs = [...new Set(found.map((f) => f.ref).filter(Boolean))].join(', ');
        throw new BulwarkError(
          'INPUT_NOT_FOUND',
          `no image named ${tag} in the layout (have: ${refs || 'none'})`,
          {
            input: files.location,
          },
        );
      }
      const chosen = selectPlatform(tagged, (f) => f.d.platform, opts.platform, files.location);
      const manifestDigest = chosen.d.digest;
      const manifestInput = `${files.location}:${manifestDigest}`;
      const manifest = parseJson(await readBlob(manifestDigest), manifestInput) as {
        config?: Descriptor;
      } | null;
      if (!manifest || typeof manifest.config?.digest !== 'string') {
        throw new BulwarkError('MALFORMED_INPUT', 'manifest has no config', { input: manifestInput });
      }
      const layers = descriptors(manifest, 'layers', manifestInput);
      const configDigest = manifest.config.digest;
      const config = parseImageConfig(await readBlob(configDigest), `${files.location}:${configDigest}`);
      if (opts.platform && !chosen.d.platform) {
        // A lone manifest has no platform in the index: check its config instead.
        selectPlatform(
          [config],
          (c) => ({ os: c.os, architecture: c.architecture, variant: c.variant }),
          opts.platform,
          files.location,
        );
      }
      const blobs = layers.map((l) => {
        parseDigest(l.digest, manifestInput);
        return {
          digest: l.digest,
          mediaType: l.mediaType ?? '',
          size: typeof l.size === 'number' ? l.size : 0,
        };
      });
      return {
        name,
        manifestDigest,
        configDigest,
        config,
        layers: describeLayers(blobs, config, manifestInput, limits.maxLayers),
        platform: configPlatform(config),
        ...(chosen.ref ? { repoTags: [chosen.ref] } : {}),
      };
    },
    async openLayer(layer: LayerDescriptor): Promise<Readable> {
      const member = blobName(layer.digest);
      return verifyStream(await files.open(member), layer.digest, `${files.location}:${member}`);
    },
    async close(): Promise<void> {},
  };
}

/** Opens an OCI layout directory or tar. */
export async function openOciLayout(location: string, opts: OciLayoutOptions = {}): Promise<ImageSource> {
  const st = await stat(location).catch(() => undefined);
  if (!st) throw new BulwarkError('INPUT_NOT_FOUND', 'no such file or directory', { input: location });
  const files = st.isDirectory() ? new DirFileSet(location) : await TarFileSet.open(location);
  return ociLayoutFromFiles(files, opts);
}
