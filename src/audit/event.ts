/**
 * Pure accessors the audit rules share: who made a request, what it was about, whether it was
 * allowed, and the parts of the request body the rules read. Request bodies are `unknown` at the
 * boundary, so every read here checks the shape it expects.
 */
import type { AuditEvent } from './schema.js';

/** One audit event as a rule input: the event and where it was read. */
export interface AuditInput {
  event: AuditEvent;
  line: number;
  /** index in an EventList */
  item?: number;
}

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export const username = (e: AuditEvent): string => e.user.username ?? '';

/** The authorizer's verdict (`allow`, `forbid`) from the event's annotations. */
export const decision = (e: AuditEvent): string | undefined =>
  e.annotations?.['authorization.k8s.io/decision'];

/** The request was let through: not forbidden and its response (when there is one) not an error. */
export function allowed(e: AuditEvent): boolean {
  if (decision(e) === 'forbid') return false;
  const code = e.responseStatus?.code;
  return code === undefined || code < 400;
}

/** The stage most rules look at: the response went out (one event a request). */
export const complete = (e: AuditEvent): boolean => e.stage === 'ResponseComplete';

/** What most rules are about: a request that completed and was let through (one event a request). */
export const admitted = (e: AuditEvent): boolean => complete(e) && allowed(e);

export function isResource(e: AuditEvent, resource: string, subresource?: string): boolean {
  const ref = e.objectRef;
  return ref?.resource === resource && (ref.subresource ?? undefined) === subresource;
}

export const isCreate = (e: AuditEvent): boolean => e.verb === 'create';
export const isWrite = (e: AuditEvent): boolean =>
  e.verb === 'create' || e.verb === 'update' || e.verb === 'patch';

/**
 * The request body of an admitted write (create, update or patch, completed and let through) of
 * one of `resources` itself, not a subresource: what every rule about a written object (a binding,
 * a role, a Service, a ConfigMap) starts from. Undefined for anything else, and for bodies that
 * are no object (a JSON patch is a list of operations).
 */
export function admittedWrite(e: AuditEvent, resources: string | ReadonlySet<string>): Json | undefined {
  const res = e.objectRef?.resource;
  if (!res || e.objectRef?.subresource) return undefined;
  if (typeof resources === 'string' ? res !== resources : !resources.has(res)) return undefined;
  return isWrite(e) && admitted(e) ? requestObject(e) : undefined;
}

export function requestObject(e: AuditEvent): Json | undefined {
  return isRecord(e.requestObject) ? e.requestObject : undefined;
}

/** The object's name: objectRef's, else the created object's (pods made from `generateName`). */
export function objectName(e: AuditEvent): string {
  const fromRef = e.objectRef?.name;
  if (fromRef) return fromRef;
  for (const o of [e.responseObject, e.requestObject])
    if (isRecord(o) && isRecord(o.metadata) && typeof o.metadata.name === 'string') return o.metadata.name;
  const req = requestObject(e);
  const gen = isRecord(req?.metadata) ? req.metadata.generateName : undefined;
  return typeof gen === 'string' ? `${gen}*` : '';
}

/** `pods default/web-1`, `clusterrolebindings admin-all`, `pods/exec default/web-1` */
export function targetLabel(e: AuditEvent): string {
  const ref = e.objectRef;
  const res = ref?.resource ? `${ref.resource}${ref.subresource ? `/${ref.subresource}` : ''}` : e.requestURI;
  const name = objectName(e);
  const ns = ref?.namespace;
  return `${res} ${ns ? `${ns}/` : ''}${name}`.trim();
}

/** A pod's spec from a pod create request (not a subresource), else undefined. */
export function createdPodSpec(e: AuditEvent): Json | undefined {
  if (!isResource(e, 'pods') || !isCreate(e)) return undefined;
  const spec = requestObject(e)?.spec;
  return isRecord(spec) ? spec : undefined;
}

export interface ContainerAt {
  container: Json;
  /** `requestObject.spec.initContainers[0]` */
  path: string;
  name: string;
  image: string;
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

export function podContainers(spec: Json): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((c, i) => {
      if (!isRecord(c)) return;
      out.push({
        container: c,
        path: `requestObject.spec.${list}[${i}]`,
        name: typeof c.name === 'string' ? c.name : `#${i}`,
        image: typeof c.image === 'string' ? c.image : '',
      });
    });
  }
  return out;
}

/** `registry.k8s.io/kube-proxy:v1.30.0@sha256:…` → `registry.k8s.io/kube-proxy` */
export function imageRepository(image: string): string {
  const at = image.indexOf('@');
  const noDigest = at === -1 ? image : image.slice(0, at);
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

const compiled = new Map<string, RegExp>();

/** `*` matches any run of characters; everything else is literal. Compiled patterns are cached. */
export function matchesAny(value: string, patterns: readonly string[]): boolean {
  for (const p of patterns) {
    if (!p.includes('*')) {
      if (p === value) return true;
      continue;
    }
    let re = compiled.get(p);
    if (!re) {
      re = new RegExp(`^${p.split('*').map(escape).join('.*')}$`);
      if (compiled.size < 10_000) compiled.set(p, re);
    }
    if (re.test(value)) return true;
  }
  return false;
}

/**
 * Whether the request's user is on an allow-list: entries name users (`alice@example.com`,
 * `system:serviceaccount:ci:*`) or, prefixed `group:`, groups the user is in (`group:sre`,
 * `group:system:serviceaccounts:monitoring`); `*` matches any run of characters in either.
 */
export function subjectAllowed(e: AuditEvent, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return false;
  const users: string[] = [];
  const groups: string[] = [];
  for (const p of patterns)
    (p.startsWith('group:') ? groups : users).push(p.startsWith('group:') ? p.slice(6) : p);
  if (users.length && matchesAny(username(e), users)) return true;
  if (groups.length) for (const g of e.user.groups ?? []) if (matchesAny(g, groups)) return true;
  return false;
}

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** A list setting (`allowedUsers`) from the rule's settings, else the rule's default. */
export function listSetting(
  settings: Readonly<Record<string, unknown>>,
  key: string,
  def: readonly string[],
) {
  const v = settings[key];
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : def;
}

/** The position and object every audit finding carries: the event's line, the request's target. */
export function at(input: AuditInput) {
  return { line: input.line, column: 1, object: targetLabel(input.event) };
}

/** Event time in ms: when the stage was reached, else when the request came in. */
export function eventTime(e: AuditEvent): number | undefined {
  const t = Date.parse(e.stageTimestamp ?? e.requestReceivedTimestamp ?? '');
  return Number.isNaN(t) ? undefined : t;
}
