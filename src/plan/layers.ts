/**
 * Base image layers versus the image's own. The evidence, strongest first:
 * 1. the OCI annotation `org.opencontainers.image.base.name`/`.base.digest`, when the caller has
 *    it and knows that base image's layers (the server: a stored image with that digest or name);
 * 2. the longest layer prefix the image shares with an image of another repository (the server's
 *    stored images; on the CLI, a base image's own report given with `--base-report`);
 * 3. otherwise unknown: every layer's origin is `unknown`.
 * A prefix as long as the image itself is no evidence (a copy of the same image under another
 * name), so it is ignored.
 */
import type { BaseEvidence, LayerOrigin, PlanLayer } from './types.js';

export const BASE_NAME_ANNOTATION = 'org.opencontainers.image.base.name';
export const BASE_DIGEST_ANNOTATION = 'org.opencontainers.image.base.digest';

export interface BaseCandidate {
  /** `repository:tag` of the other image */
  name: string;
  repository: string;
  digest: string | null;
  /** its layer diffIDs, bottom first */
  diffIds: readonly string[];
}

export const NO_BASE: BaseEvidence = { method: 'none', baseLayers: 0, baseName: null, baseDigest: null };

/** How many bottom layers two layer lists share. */
export function sharedPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Decides the base layers of an image from its annotations (when known) and candidate images
 * (other repositories' images). `repository` is the image's own, whose images are never its base.
 */
export function decideBase(
  image: { diffIds: readonly string[]; repository?: string; annotations?: Record<string, string> },
  candidates: readonly BaseCandidate[],
  method: 'shared-prefix' | 'base-report' = 'shared-prefix',
): BaseEvidence {
  const own = image.diffIds;
  const others = candidates.filter((c) => c.repository !== image.repository);
  const name = image.annotations?.[BASE_NAME_ANNOTATION] ?? null;
  const digest = image.annotations?.[BASE_DIGEST_ANNOTATION] ?? null;
  if (name || digest) {
    const named = others.find(
      (c) =>
        (digest && c.digest === digest) || (!digest && name && (c.name === name || c.repository === name)),
    );
    const n = named ? sharedPrefix(own, named.diffIds) : 0;
    if (named && n === named.diffIds.length && n < own.length)
      return { method: 'annotation', baseLayers: n, baseName: name ?? named.name, baseDigest: digest };
  }
  let best: { n: number; c: BaseCandidate } | undefined;
  for (const c of others) {
    const n = sharedPrefix(own, c.diffIds);
    if (n === 0 || n >= own.length) continue;
    // longer prefix first; at equal length the candidate that IS that prefix (the base itself)
    if (!best || n > best.n || (n === best.n && c.diffIds.length === n && best.c.diffIds.length !== n))
      best = { n, c };
  }
  if (!best) return NO_BASE;
  const isBase = best.c.diffIds.length === best.n;
  return {
    method,
    baseLayers: best.n,
    baseName: isBase ? best.c.name : null,
    baseDigest: isBase ? best.c.digest : null,
  };
}

/** The origin of the layer with this diffID in an image whose bottom `baseLayers` are the base's. */
export function layerOrigin(
  layers: readonly PlanLayer[],
  evidence: BaseEvidence,
  diffId: string | null,
): { origin: LayerOrigin; layer: PlanLayer | null } {
  const at = diffId ? layers.findIndex((l) => l.diffId === diffId) : -1;
  const layer = at >= 0 ? layers[at]! : null;
  if (!layer || evidence.method === 'none') return { origin: 'unknown', layer };
  return { origin: at < evidence.baseLayers ? 'base' : 'own', layer };
}
