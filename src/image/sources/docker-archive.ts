import type { Readable } from 'node:stream';
import { BulwarkError } from '../../core/errors.js';
import { resolveLimits, type Limits } from '../../core/limits.js';
import { parseDigest, parseJson, sha256Digest, verifyStream } from '../digest.js';
import { TarFileSet, type FileSet } from '../file-set.js';
import { configPlatform, describeLayers, parseImageConfig } from '../image-config.js';
import type { ImageSource, LayerDescriptor, ResolvedImage } from '../types.js';

export interface DockerArchiveOptions {
  limits?: Partial<Limits>;
  /** pick the image whose RepoTags contain this (`name:tag`); default the first one */
  tag?: string;
  /** name shown in reports (defaults to the archive path) */
  name?: string;
  /** called once by close(), e.g. to remove a temp file the archive was downloaded to */
  onClose?: () => Promise<void>;
}

interface ManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

function parseManifest(data: Buffer, input: string): ManifestEntry[] {
  const v = parseJson(data, input);
  const ok =
    Array.isArray(v) &&
    v.every(
      (e) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as ManifestEntry).Config === 'string' &&
        Array.isArray((e as ManifestEntry).Layers) &&
        (e as ManifestEntry).Layers.every((l) => typeof l === 'string'),
    );
  if (!ok)
    throw new BulwarkError('MALFORMED_INPUT', 'manifest.json is not a docker save manifest', { input });
  return v as ManifestEntry[];
}

/** `ex:1` names the same image as `docker.io/library/ex:1`; a missing tag means `latest`. */
function sameTag(have: string, want: string): boolean {
  const norm = (s: string): string => {
    let r = s.includes(':', s.lastIndexOf('/') + 1) ? s : `${s}:latest`;
    if (r.startsWith('docker.io/')) r = r.slice('docker.io/'.length);
    if (r.startsWith('library/')) r = r.slice('library/'.length);
    return r;
  };
  return norm(have) === norm(want);
}

/** `blobs/sha256/<hex>` names carry their digest (Docker 25+); legacy `<id>/layer.tar` do not. */
function digestFromBlobPath(name: string): string | undefined {
  const m = /^blobs\/(sha256|sha512)\/([a-f0-9]+)$/.exec(name);
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/** Reads `docker save` output (legacy and Docker 25+ OCI-in-tar layouts) from a file set. */
export function dockerArchiveFromFiles(files: FileSet, opts: DockerArchiveOptions = {}): ImageSource {
  const limits: Limits = resolveLimits(opts.limits);
  const name = opts.name ?? files.location;
  const paths = new Map<string, { member: string; verify: boolean }>();
  let closed = false;
  return {
    name,
    async resolve(): Promise<ResolvedImage> {
      const manifests = parseManifest(
        await files.read('manifest.json', limits.maxManifestBytes),
        `${files.location}:manifest.json`,
      );
      if (manifests.length === 0) {
        throw new BulwarkError('MALFORMED_INPUT', 'manifest.json lists no images', { input: files.location });
      }
      const wanted = opts.tag;
      const entry = wanted
        ? manifests.find((m) => (m.RepoTags ?? []).some((t) => sameTag(t, wanted)))
        : manifests[0];
      if (!entry) {
        throw new BulwarkError('INPUT_NOT_FOUND', `no image tagged ${wanted} in the archive`, {
          input: files.location,
        });
      }
      const configInput = `${files.location}:${entry.Config}`;
      const configBytes = await files.read(entry.Config, limits.maxManifestBytes);
      const configDigest = sha256Digest(configBytes);
      const fromPath = digestFromBlobPath(entry.Config);
      if (fromPath && fromPath !== configDigest && fromPath.startsWith('sha256:')) {
        throw new BulwarkError('DIGEST_MISMATCH', `config is ${configDigest}, expected ${fromPath}`, {
          input: configInput,
        });
      }
      const config = parseImageConfig(configBytes, configInput);
      const diffIds = config.rootfs?.diff_ids ?? [];
      const blobs: { digest: string; mediaType: string; size: number }[] = [];
      for (const [i, member] of entry.Layers.entries()) {
        const size = await files.size(member);
        if (size === undefined) {
          throw new BulwarkError('INPUT_NOT_FOUND', `layer ${member} is missing from the archive`, {
            input: `${files.location}:${member}`,
          });
        }
        const declared = digestFromBlobPath(member);
        // Legacy layers are plain tars named by id: their only declared digest is the diffID,
        // which the scan checks against the bytes it walks.
        const digest = declared ?? diffIds[i] ?? '';
        if (digest) parseDigest(digest, `${files.location}:${member}`);
        paths.set(`${i}:${digest}`, { member, verify: declared !== undefined });
        blobs.push({ digest, mediaType: 'application/vnd.docker.image.rootfs.diff.tar', size });
      }
      return {
        name,
        configDigest,
        config,
        layers: describeLayers(blobs, config, configInput, limits.maxLayers),
        platform: configPlatform(config),
        ...(entry.RepoTags?.length ? { repoTags: entry.RepoTags } : {}),
      };
    },
    async openLayer(layer: LayerDescriptor): Promise<Readable> {
      const p = paths.get(`${layer.index}:${layer.digest}`);
      if (!p)
        throw new BulwarkError('INTERNAL', 'openLayer before resolve or for a foreign layer', {
          input: name,
        });
      const raw = await files.open(p.member);
      return p.verify ? verifyStream(raw, layer.digest, `${files.location}:${p.member}`) : raw;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await opts.onClose?.();
    },
  };
}

/** Opens a `docker save` tar file without extracting it. */
export async function openDockerArchive(file: string, opts: DockerArchiveOptions = {}): Promise<ImageSource> {
  return dockerArchiveFromFiles(await TarFileSet.open(file), opts);
}
