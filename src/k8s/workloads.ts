/**
 * Which objects are the workloads to check, and which image each container really runs. A Pod
 * made by a ReplicaSet, a ReplicaSet made by a Deployment, a Job made by a CronJob is the same pod
 * template again: it is skipped when its controller was listed too, so every finding is reported
 * once, at the object a user edits. Pods whose controller was not listed (an operator's custom
 * resource, a node for static pods) are checked themselves.
 */
import { parseReference } from '../registry/reference.js';
import type { KubeObject } from './read.js';

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

export const WORKLOAD_KINDS = new Set([
  'Pod',
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'ReplicaSet',
  'Job',
  'CronJob',
]);

/** `Kind/name` of the object's controlling owner, if any. */
export function controllerOf(o: KubeObject): string | undefined {
  const refs = o.metadata.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  const c = refs.find((r) => isObj(r) && r.controller === true);
  return isObj(c) && typeof c.kind === 'string' && typeof c.name === 'string'
    ? `${c.kind}/${c.name}`
    : undefined;
}

/** The workloads of one namespace, with those whose listed controller stands for them removed. */
export function selectWorkloads(objects: readonly KubeObject[]): { workloads: KubeObject[]; owned: number } {
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(o.kind));
  const listed = new Set(workloads.map((o) => `${o.kind}/${o.metadata.name}`));
  const kept = workloads.filter((o) => {
    const owner = controllerOf(o);
    return !owner || !listed.has(owner);
  });
  return { workloads: kept, owned: workloads.length - kept.length };
}

function canonical(image: string): string | undefined {
  try {
    return parseReference(image).canonical;
  } catch {
    return undefined;
  }
}

/** `repo@sha256:...` from a container status' imageID (`docker-pullable://repo@sha256:…`, `repo@sha256:…`). */
export function digestOfImageId(imageId: unknown): string | undefined {
  if (typeof imageId !== 'string') return undefined;
  const m = imageId.replace(/^[a-z-]+:\/\//, '').match(/^(.+)@(sha256:[0-9a-f]{64})$/);
  if (!m) return undefined;
  try {
    return `${parseReference(m[1]!).name}@${m[2]}`;
  } catch {
    return undefined;
  }
}

/**
 * What the nodes run: for each image as written in a pod spec (canonical form), the
 * `repo@digest`s its running containers report. A tag that resolves to one digest everywhere is
 * scanned by that digest, so two tags of one image are scanned once.
 */
export function runningDigests(objects: readonly KubeObject[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const o of objects) {
    if (o.kind !== 'Pod' || !isObj(o.status)) continue;
    const spec = isObj(o.spec) ? o.spec : {};
    for (const [specKey, statusKey] of [
      ['containers', 'containerStatuses'],
      ['initContainers', 'initContainerStatuses'],
    ] as const) {
      const specs = Array.isArray(spec[specKey]) ? (spec[specKey] as unknown[]) : [];
      const statuses = Array.isArray(o.status[statusKey]) ? (o.status[statusKey] as unknown[]) : [];
      for (const st of statuses) {
        if (!isObj(st)) continue;
        const c = specs.find((x) => isObj(x) && x.name === st.name);
        const image = isObj(c) && typeof c.image === 'string' ? canonical(c.image) : undefined;
        const digest = digestOfImageId(st.imageID);
        if (!image || !digest) continue;
        if (!out.has(image)) out.set(image, new Set());
        out.get(image)!.add(digest);
      }
    }
  }
  return out;
}

/**
 * The key an image is scanned under: `repo@digest` when the reference pins one or the nodes
 * report exactly one for it, else its canonical reference (or the text when it does not parse).
 */
export function imageKey(image: string, running: Map<string, Set<string>>): string {
  let ref;
  try {
    ref = parseReference(image);
  } catch {
    return image;
  }
  if (ref.digest) return `${ref.name}@${ref.digest}`;
  const seen = running.get(ref.canonical);
  if (seen?.size === 1) return [...seen][0]!;
  return ref.canonical;
}
