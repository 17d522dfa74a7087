export {
  parseReference,
  manifestReference,
  isDigest,
  DOCKER_HUB_DOMAIN,
  DOCKER_HUB_REGISTRY,
} from './reference.js';
export type { ImageReference } from './reference.js';
export { RegistryClient, DEFAULT_RETRY, parseRetryAfter } from './client.js';
export type { RegistryClientOptions, RetrySettings, RepositoryLike, FetchedManifest } from './client.js';
export { resolveImage } from './resolve.js';
export type { RegistryResolvedImage, ResolveOptions } from './resolve.js';
export { CredentialStore, DOCKER_HUB_AUTH_KEY } from './credentials.js';
export type { Credential, CredentialStoreOptions } from './credentials.js';
export { parseChallenges } from './challenge.js';
export type { Challenge } from './challenge.js';
export {
  selectPlatform,
  parsePlatform,
  formatPlatform,
  hostPlatformSpec,
  DEFAULT_PLATFORM,
} from './platform.js';
export type { HostPlatform, PlatformSpec } from './platform.js';
export { MEDIA_TYPES, MANIFEST_ACCEPT } from './media-types.js';
export type { Descriptor, ImageManifest, ImageIndex } from './schemas.js';
export { imageManifestSchema } from './schemas.js';
export { registrySource } from '../image/sources/registry.js';
export type { RegistrySourceOptions } from '../image/sources/registry.js';
