import { parseReference } from '../../registry/reference.js';

/**
 * Which tracked image a scan belongs to: repository and tag, so a rebuilt tag (a new digest) is a
 * later scan of the same image and its fixes show as fixed. The name comes from the image's own
 * tags (`docker save`, OCI layout) or from the reference the scan named; a scan named by digest
 * only is tracked under `@sha256:...`; a path that is no reference is kept as it was named.
 */
export function imageIdentity(target: { name: string; digest: string | null; repoTags: readonly string[] }): {
  repository: string;
  tag: string;
} {
  for (const candidate of [...target.repoTags, target.name]) {
    try {
      const ref = parseReference(candidate);
      return { repository: ref.name, tag: ref.tag ?? (ref.digest ? `@${ref.digest}` : 'latest') };
    } catch {
      // not a reference: try the next one, or keep the name as it is
    }
  }
  return { repository: target.name, tag: target.digest ? `@${target.digest}` : '' };
}
