/**
 * What a policy is evaluated on: a workload (a Pod, or any kind with a pod template: the
 * Deployment in a manifest, the object in an AdmissionReview) or a bare image (a scan report in
 * CI). Built from plain JSON so manifests, admission requests and the server's records all give
 * the same subject.
 */
import { podTemplatePathOf } from '../checks/kubernetes/workloads.js';
import type { FieldPath, PodLike } from '../checks/pss/types.js';

export interface SubjectContainer {
  name: string;
  image: string;
  /** `initContainers`, `containers`, `ephemeralContainers` */
  kind: string;
  /** dotted path of the container from the object root (`spec.template.spec.containers[0]`) */
  field: string;
  /** the same path as steps, for JSON patches (`['spec', 'template', 'spec', 'containers', 0]`) */
  path: FieldPath;
  resources: { limits: Record<string, unknown>; requests: Record<string, unknown> };
}

export interface PolicySubject {
  kind: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  /** the pod or pod template, for Pod Security; absent for a bare image */
  pod?: PodLike;
  containers: SubjectContainer[];
  /** where the subject was read from (file, `file#document`), for reports */
  origin?: string;
  /** line of the object in its file, when known */
  line?: number;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

function at(value: unknown, path: FieldPath): unknown {
  let v = value;
  for (const step of path) {
    if (!isObj(v) && !Array.isArray(v)) return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

function dotted(path: FieldPath): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
  return s;
}

function stringRecord(v: unknown): Record<string, string> {
  if (!isObj(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/**
 * The subject of a Kubernetes object; undefined for kinds without a pod template (a Service is
 * not something a policy on images and pods applies to). `namespace` is the request's namespace
 * when the object does not say (admission).
 */
export function subjectFromObject(
  object: Json,
  opts: { namespace?: string; origin?: string; line?: number } = {},
): PolicySubject | undefined {
  const kind = typeof object.kind === 'string' ? object.kind : '';
  const templatePath = podTemplatePathOf(kind);
  if (!templatePath) return undefined;
  const meta = isObj(object.metadata) ? object.metadata : {};
  const template = at(object, templatePath);
  const pod: PodLike = {};
  if (isObj(template)) {
    if (isObj(template.metadata)) pod.metadata = template.metadata;
    if (isObj(template.spec)) pod.spec = template.spec;
  }
  const containers: SubjectContainer[] = [];
  for (const ckind of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = pod.spec?.[ckind];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (!isObj(c)) return;
      const resources = isObj(c.resources) ? c.resources : {};
      containers.push({
        name: typeof c.name === 'string' ? c.name : `#${i}`,
        image: typeof c.image === 'string' ? c.image : '',
        kind: ckind,
        field: dotted([...templatePath, 'spec', ckind, i]),
        path: [...templatePath, 'spec', ckind, i],
        resources: {
          limits: isObj(resources.limits) ? resources.limits : {},
          requests: isObj(resources.requests) ? resources.requests : {},
        },
      });
    });
  }
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : opts.namespace;
  const name =
    typeof meta.name === 'string'
      ? meta.name
      : typeof meta.generateName === 'string'
        ? meta.generateName
        : '';
  // labels of the workload and of its pod template both identify it (exceptions match either)
  const labels = { ...stringRecord(pod.metadata?.labels), ...stringRecord(meta.labels) };
  return {
    kind,
    name,
    ...(namespace ? { namespace } : {}),
    labels,
    pod,
    containers,
    ...(opts.origin ? { origin: opts.origin } : {}),
    ...(opts.line !== undefined ? { line: opts.line } : {}),
  };
}

/** The subject of a bare image (a scan report checked in CI): image rules apply, pod rules not. */
export function subjectFromImage(image: string, origin?: string): PolicySubject {
  return {
    kind: 'Image',
    name: image,
    labels: {},
    containers: [
      { name: '', image, kind: 'image', field: '', path: [], resources: { limits: {}, requests: {} } },
    ],
    ...(origin ? { origin } : {}),
  };
}
