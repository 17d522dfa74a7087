import { stat } from 'node:fs/promises';
import { BulwarkError } from '../../core/errors.js';
import type { Limits } from '../../core/limits.js';
import { DirFileSet, TarFileSet, type FileSet } from '../file-set.js';
import type { ImageSource } from '../types.js';
import { dockerArchiveFromFiles } from './docker-archive.js';
import { ociLayoutFromFiles } from './oci-layout.js';

export { dockerArchiveFromFiles, openDockerArchive, type DockerArchiveOptions } from './docker-archive.js';
export { ociLayoutFromFiles, openOciLayout, type OciLayoutOptions } from './oci-layout.js';
export {
  DEFAULT_DOCKER_HOST,
  inspectDaemonImage,
  openDaemonImage,
  parseDockerHost,
  type DaemonOptions,
} from './daemon.js';

export interface OpenSourceInput {
  /** image reference (daemon, then registry) */
  ref?: string;
  /** `--input`: a docker-archive or OCI layout, file or directory; `path:tag` selects a tag */
  inputPath?: string;
  /** the DOCKER_HOST value; daemon default socket when unset */
  dockerHost?: string;
  /** false skips the daemon (e.g. `--no-daemon`) */
  useDaemon?: boolean;
  /** where the daemon's export is downloaded (removed on close) */
  cacheDir: string;
  platform?: string;
  limits?: Partial<Limits>;
  /** passed to the registry source (credentials, insecure, retry...) */
  registry?: Record<string, unknown>;
  daemonTimeoutMs?: number;
}

async function exists(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined)) !== undefined;
}

/** `path:tag` when `path` exists and the whole string does not (a docker archive's tag may hold `:`). */
async function splitTag(input: string): Promise<{ location: string; tag?: string }> {
  if (await exists(input)) return { location: input };
  for (let colon = input.indexOf(':'); colon > 0; colon = input.indexOf(':', colon + 1)) {
    const tag = input.slice(colon + 1);
    if (tag && (await exists(input.slice(0, colon)))) return { location: input.slice(0, colon), tag };
  }
  throw new BulwarkError('INPUT_NOT_FOUND', 'no such file or directory', { input });
}

/** Tells a `docker save` archive from an OCI layout by its content, not its name. */
export async function openInputPath(
  inputPath: string,
  opts: { platform?: string; limits?: Partial<Limits> } = {},
): Promise<ImageSource> {
  const { location, tag } = await splitTag(inputPath);
  const st = await stat(location);
  const files: FileSet = st.isDirectory() ? new DirFileSet(location) : await TarFileSet.open(location);
  const common = { ...(opts.limits ? { limits: opts.limits } : {}), name: inputPath };
  if ((await files.size('manifest.json')) !== undefined) {
    return dockerArchiveFromFiles(files, { ...common, ...(tag ? { tag } : {}) });
  }
  if ((await files.size('index.json')) !== undefined) {
    return ociLayoutFromFiles(files, {
      ...common,
      ...(tag ? { tag } : {}),
      ...(opts.platform ? { platform: opts.platform } : {}),
    });
  }
  throw new BulwarkError(
    'MALFORMED_INPUT',
    'neither a docker save archive (manifest.json) nor an OCI layout (index.json)',
    { input: inputPath },
  );
}

/**
 * Picks the source for a target: an `--input` path by content; otherwise the local Docker daemon
 * when it has the image, else the registry.
 */
export async function openSource(input: OpenSourceInput): Promise<ImageSource> {
  if (input.inputPath) {
    return openInputPath(input.inputPath, {
      ...(input.platform ? { platform: input.platform } : {}),
      ...(input.limits ? { limits: input.limits } : {}),
    });
  }
  const ref = input.ref;
  if (!ref) throw new BulwarkError('USAGE', 'an image reference or --input path is required');
  if (input.useDaemon !== false) {
    const { openDaemonImage } = await import('./daemon.js');
    const fromDaemon = await openDaemonImage(ref, {
      cacheDir: input.cacheDir,
      ...(input.dockerHost ? { dockerHost: input.dockerHost } : {}),
      ...(input.limits ? { limits: input.limits } : {}),
      ...(input.daemonTimeoutMs ? { timeoutMs: input.daemonTimeoutMs } : {}),
    });
    if (fromDaemon) return fromDaemon;
  }
  const { registrySource } = await import('./registry.js');
  return registrySource(ref, {
    ...(input.registry ?? {}),
    ...(input.platform ? { platform: input.platform } : {}),
    ...(input.limits ? { limits: input.limits } : {}),
  });
}
