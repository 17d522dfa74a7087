import type { FieldPath, PodLike } from '../pss/types.js';
import type { K8sObject } from './types.js';

function at(value: unknown, path: FieldPath): unknown {
  let v = value;
  for (const step of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return v;
}

/** The pod (or pod template) of a workload object, as PSA sees it; undefined for other kinds. */
export function podOf(obj: K8sObject): PodLike | undefined {
  if (!obj.podTemplatePath) return undefined;
  const t = at(obj.object, obj.podTemplatePath);
  if (t === null || typeof t !== 'object' || Array.isArray(t)) return undefined;
  const { metadata, spec } = t as Record<string, unknown>;
  return {
    ...(metadata && typeof metadata === 'object' ? { metadata: metadata as Record<string, unknown> } : {}),
    ...(spec && typeof spec === 'object' ? { spec: spec as Record<string, unknown> } : {}),
  };
}

/** Reads a value at a path inside an object. */
export function valueAt(obj: K8sObject, path: FieldPath): unknown {
  return at(obj.object, path);
}
