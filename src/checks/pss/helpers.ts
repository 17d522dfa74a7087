import type { FieldPath, PodLike } from './types.js';

export type Obj = Record<string, unknown>;

export function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Go's `*T != nil`: the key is present and not null. */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

export function spec(pod: PodLike): Obj {
  return obj(pod.spec) ?? {};
}

export function podSecurityContext(pod: PodLike): Obj | undefined {
  return obj(spec(pod).securityContext);
}

export interface VisitedContainer {
  name: string;
  c: Obj;
  sc: Obj | undefined;
  path: FieldPath;
}

/** PSA's visitContainers: init containers, containers, then ephemeral containers. */
export function containers(pod: PodLike): VisitedContainer[] {
  const s = spec(pod);
  const out: VisitedContainer[] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    arr(s[key]).forEach((raw, i) => {
      const c = obj(raw) ?? {};
      out.push({ name: str(c.name), c, sc: obj(c.securityContext), path: ['spec', key, i] });
    });
  }
  return out;
}

export function pluralize(single: string, plural: string, n: number): string {
  return n === 1 ? single : plural;
}

/** Go's strconv.Quote-joined list: `"a", "b"`. */
export function joinQuote(items: readonly string[]): string {
  return items.map((s) => JSON.stringify(s)).join(', ');
}

export function sortedUnique(items: Iterable<string>): string[] {
  return [...new Set(items)].sort();
}

export function isWindowsPod(pod: PodLike): boolean {
  return str(obj(spec(pod).os)?.name) === 'windows';
}

export function hostUsersFalse(pod: PodLike): boolean {
  return spec(pod).hostUsers === false;
}

export function dotted(path: FieldPath): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(p)) out += out ? `.${p}` : p;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}
