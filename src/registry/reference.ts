import { BulwarkError } from '../core/errors.js';

/** An image reference normalised the way Docker does it. */
export interface ImageReference {
  /** what the user typed */
  original: string;
  /** registry as users name it: `docker.io`, `ghcr.io`, `127.0.0.1:5000` */
  domain: string;
  /** host (and port) the API is served from: `registry-1.docker.io` for docker.io */
  registry: string;
  /** repository path inside the registry: `library/alpine` */
  repository: string;
  tag?: string;
  /** `sha256:...` when pinned; wins over the tag when fetching */
  digest?: string;
  /** `docker.io/library/alpine` */
  name: string;
  /** `docker.io/library/alpine:latest`, `...@sha256:...` or `...:tag@sha256:...` */
  canonical: string;
}

export const DOCKER_HUB_DOMAIN = 'docker.io';
export const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';

// Grammar from the distribution reference package: lowercase path components separated by
// `.`, `_`, `__` or runs of `-`; hosts as DNS labels or bracketed IPv6, optional port.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const MAX_NAME_LENGTH = 255;

function invalid(input: string, why: string): BulwarkError {
  return new BulwarkError('USAGE', `invalid image reference: ${why}`, { input });
}

/** True when the first path component names a registry rather than a Docker Hub namespace. */
function looksLikeDomain(component: string): boolean {
  return (
    component.includes('.') || component.includes(':') || component === 'localhost' || /[A-Z]/.test(component)
  );
}

export function isDigest(s: string): boolean {
  return DIGEST.test(s);
}

/**
 * Parses `alpine`, `alpine:3.19`, `ghcr.io/o/r@sha256:...`, `host:5000/a/b:tag@sha256:...`.
 * Throws USAGE for anything Docker would refuse.
 */
export function parseReference(input: string): ImageReference {
  const original = input;
  const s = input.trim();
  if (s === '') throw invalid(original, 'empty');
  if (s.length > 512) throw invalid(original, 'too long');

  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw invalid(original, `bad digest "${digest}"`);
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw invalid(original, `bad tag "${tag}"`);
  }
  if (rest === '') throw invalid(original, 'missing repository');

  let domain = DOCKER_HUB_DOMAIN;
  let path = rest;
  const firstSlash = rest.indexOf('/');
  if (firstSlash >= 0) {
    const first = rest.slice(0, firstSlash);
    if (looksLikeDomain(first)) {
      if (!DOMAIN.test(first)) throw invalid(original, `bad registry host "${first}"`);
      domain = first;
      path = rest.slice(firstSlash + 1);
    }
  }
  if (domain === 'index.docker.io') domain = DOCKER_HUB_DOMAIN;
  if (domain === DOCKER_HUB_DOMAIN && !path.includes('/')) path = `library/${path}`;

  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(
        original,
        `bad repository component "${component}" (lowercase letters, digits, separators)`,
      );
    }
  }
  const name = `${domain}/${path}`;
  if (name.length > MAX_NAME_LENGTH) throw invalid(original, 'repository name longer than 255 characters');
  if (!tag && !digest) tag = 'latest';

  const canonical = `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  return {
    original,
    domain,
    registry: domain === DOCKER_HUB_DOMAIN ? DOCKER_HUB_REGISTRY : domain,
    repository: path,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    name,
    canonical,
  };
}

/** `docker.io/library/alpine:3.19` style string for a repository plus tag or digest. */
export function formatReference(ref: ImageReference): string {
  return ref.canonical;
}

/** What to ask the registry for: the digest when pinned, else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}
