/**
 * Patterns of policy files: `*` matches within one path segment, `**` across segments, anything
 * else literally. A pattern with no `/` names a whole registry (`ghcr.io` = `ghcr.io/**`).
 */
import { parseReference } from '../registry/reference.js';

const cache = new Map<string, RegExp>();

function compile(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re) return re;
  let src = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        src += '.*';
        i++;
      } else src += '[^/]*';
    } else src += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  re = new RegExp(`^${src}$`, 's');
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** True when `value` matches the glob `pattern` (no registry shorthand). */
export function globMatch(pattern: string, value: string): boolean {
  return compile(pattern).test(value);
}

/** `docker.io/library/nginx` for `nginx:1.27`; undefined when the reference does not parse. */
export function repositoryOf(image: string): string | undefined {
  try {
    const r = parseReference(image);
    return `${r.domain}/${r.repository}`;
  } catch {
    return undefined;
  }
}

/** True when the image's `registry/repository` matches the pattern. */
export function imageMatches(pattern: string, image: string): boolean {
  const repo = repositoryOf(image);
  if (!repo) return false;
  const p = pattern.includes('/') ? pattern : `${pattern}/**`;
  return globMatch(p, repo);
}
