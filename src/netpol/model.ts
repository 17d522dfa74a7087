import type { K8sObject } from '../checks/kubernetes/types.js';
import { BulwarkError, type ErrorCode } from '../core/errors.js';
import { isProtocol, type Protocol } from './conns.js';
import { ipBlockRanges, type IpRange } from './ip.js';
import { EVERYTHING, parseSelector, type LabelSelector } from './selector.js';

/**
 * The cluster as the engine sees it, built from parsed manifests with netpol-analyzer's
 * conventions: a missing namespace is `default`; every namespace carries
 * `kubernetes.io/metadata.name`; a workload is named after the pod's controller (a Pod's
 * controlling ownerReference, else the workload object itself).
 */
export const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface Source {
  file: string;
  line: number;
  kind: string;
  name: string;
  /** line of a field of the object (`['spec', 'ingress', 0]`), nearest existing ancestor otherwise */
  lineOf?: (path: (string | number)[]) => number;
}

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

export interface Workload {
  /** `namespace/name[Kind]` */
  id: string;
  name: string;
  namespace: string;
  kind: string;
  labels: Readonly<Record<string, string>>;
  ports: readonly ContainerPort[];
  images: readonly string[];
  hostNetwork: boolean;
  /** container ports published on the node */
  hostPorts: readonly number[];
  source: Source;
}

export interface PolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except: string[]; ranges: IpRange[] };
}

export interface PolicyPort {
  protocol: Protocol;
  /** undefined: every port of the protocol */
  port?: number | string;
  endPort?: number;
}

export interface PolicyRule {
  /** empty: every peer */
  peers: PolicyPeer[];
  /** empty: every port */
  ports: PolicyPort[];
}

export interface Policy {
  name: string;
  namespace: string;
  podSelector: LabelSelector;
  ingress: PolicyRule[];
  egress: PolicyRule[];
  affectsIngress: boolean;
  affectsEgress: boolean;
  source: Source;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol: Protocol;
}

export interface Service {
  name: string;
  namespace: string;
  type: string;
  /** undefined: a Service without selector (endpoints managed by hand), ignored */
  selector?: Readonly<Record<string, string>>;
  ports: ServicePort[];
  source: Source;
}

export interface IngressBackend {
  service: string;
  /** Ingress: the backend's port name or number; Route: spec.port.targetPort */
  port?: number | string;
}

export interface IngressObject {
  kind: 'Ingress' | 'Route';
  name: string;
  namespace: string;
  backends: IngressBackend[];
  source: Source;
}

export interface Namespace {
  name: string;
  labels: Readonly<Record<string, string>>;
  source?: Source;
}

export interface ModelIssue {
  file: string;
  code?: ErrorCode;
  message: string;
}

export interface Model {
  workloads: Workload[];
  namespaces: Map<string, Namespace>;
  policies: Policy[];
  services: Service[];
  ingresses: IngressObject[];
  errors: ModelIssue[];
  warnings: ModelIssue[];
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function at(obj: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (Array.isArray(cur) && typeof p === 'number') cur = cur[p];
    else if (isObj(cur) && typeof p === 'string') cur = cur[p];
    else return undefined;
  }
  return cur;
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, val] of Object.entries(v)) out[k] = String(val ?? '');
  return out;
}

function protocolOf(v: unknown, where: string): Protocol {
  if (v === undefined || v === null || v === '') return 'TCP';
  if (typeof v === 'string' && isProtocol(v)) return v;
  throw new BulwarkError('MALFORMED_INPUT', `${where}: unknown protocol ${String(v)}`);
}

/** IntOrString as Kubernetes decodes it: a JSON number is a port number, a string a name. */
function intOrString(v: unknown): number | string | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && v !== '') return v;
  return undefined;
}

function sourceOf(o: K8sObject): Source {
  return {
    file: o.file,
    line: o.positionOf([]).line,
    kind: o.kind,
    name: o.name,
    lineOf: (p) => o.positionOf(p).line,
  };
}

function podSpecOf(o: K8sObject): Json | undefined {
  if (!o.podTemplatePath) return undefined;
  const tpl = at(o.object, ...o.podTemplatePath);
  return isObj(tpl) ? tpl : undefined;
}

function workloadOf(o: K8sObject): Workload | undefined {
  const tpl = podSpecOf(o);
  if (!tpl) return undefined;
  const namespace = o.namespace || 'default';
  let kind = o.kind;
  let name = o.name;
  if (o.kind === 'Pod') {
    if (name.startsWith('virt-launcher-')) return undefined;
    const owner = arr(at(o.object, 'metadata', 'ownerReferences')).find(
      (r) => isObj(r) && r.controller === true,
    ) as Json | undefined;
    // an owner without kind still names the workload; netpol-analyzer then calls it a Pod
    if (owner && owner.kind !== 'Node' && typeof owner.name === 'string' && owner.name !== '') {
      kind = typeof owner.kind === 'string' && owner.kind ? owner.kind : 'Pod';
      name = owner.name;
    }
  }
  const spec = isObj(tpl.spec) ? tpl.spec : {};
  const ports: ContainerPort[] = [];
  const hostPorts: number[] = [];
  const images: string[] = [];
  for (const list of [spec.initContainers, spec.containers]) {
    for (const c of arr(list)) {
      if (!isObj(c)) continue;
      if (typeof c.image === 'string') images.push(c.image);
      if (list !== spec.containers) continue;
      for (const p of arr(c.ports)) {
        if (!isObj(p) || typeof p.containerPort !== 'number') continue;
        const protocol = typeof p.protocol === 'string' && isProtocol(p.protocol) ? p.protocol : 'TCP';
        ports.push({
          ...(typeof p.name === 'string' ? { name: p.name } : {}),
          port: p.containerPort,
          protocol,
        });
        if (typeof p.hostPort === 'number' && p.hostPort > 0) hostPorts.push(p.hostPort);
      }
    }
  }
  return {
    id: `${namespace}/${name}[${kind}]`,
    name,
    namespace,
    kind,
    labels: labelsOf(at(tpl, 'metadata', 'labels')),
    ports,
    images,
    hostNetwork: spec.hostNetwork === true,
    hostPorts,
    source: sourceOf(o),
  };
}

function peerOf(v: unknown, where: string): PolicyPeer {
  if (!isObj(v)) throw new BulwarkError('MALFORMED_INPUT', `${where}: peer is not an object`);
  const hasSel = v.podSelector != null || v.namespaceSelector != null;
  if (v.ipBlock != null) {
    if (hasSel)
      throw new BulwarkError(
        'MALFORMED_INPUT',
        `${where}: ipBlock cannot be combined with podSelector or namespaceSelector`,
      );
    const cidr = str(at(v, 'ipBlock', 'cidr'));
    if (!cidr) throw new BulwarkError('MALFORMED_INPUT', `${where}.ipBlock: cidr missing`);
    const except = arr(at(v, 'ipBlock', 'except')).map((e) => String(e));
    return { ipBlock: { cidr, except, ranges: ipBlockRanges(cidr, except) } };
  }
  if (!hasSel)
    throw new BulwarkError(
      'MALFORMED_INPUT',
      `${where}: empty peer (no podSelector, namespaceSelector or ipBlock)`,
    );
  return {
    ...(v.podSelector != null ? { podSelector: parseSelector(v.podSelector, `${where}.podSelector`) } : {}),
    ...(v.namespaceSelector != null
      ? { namespaceSelector: parseSelector(v.namespaceSelector, `${where}.namespaceSelector`) }
      : {}),
  };
}

function portOf(v: unknown, where: string): PolicyPort {
  if (!isObj(v)) throw new BulwarkError('MALFORMED_INPUT', `${where}: port is not an object`);
  const protocol = protocolOf(v.protocol, where);
  const port = intOrString(v.port);
  if (v.port !== undefined && v.port !== null && port === undefined)
    throw new BulwarkError('MALFORMED_INPUT', `${where}.port: not a port number or name`);
  const endPort = typeof v.endPort === 'number' ? v.endPort : undefined;
  if (endPort !== undefined && typeof port !== 'number')
    throw new BulwarkError('MALFORMED_INPUT', `${where}: endPort needs a numeric port`);
  if (typeof port === 'number') {
    const end = endPort ?? port;
    if (port < 1 || port > 65535 || end < port || end > 65535)
      throw new BulwarkError('MALFORMED_INPUT', `${where}: port range ${port}-${end} is not within 1-65535`);
  }
  return { protocol, ...(port !== undefined ? { port } : {}), ...(endPort !== undefined ? { endPort } : {}) };
}

function rulesOf(v: unknown, peerKey: 'from' | 'to', where: string): PolicyRule[] {
  return arr(v).map((r, i) => {
    const w = `${where}[${i}]`;
    if (!isObj(r)) return { peers: [], ports: [] };
    return {
      peers: arr(r[peerKey]).map((p, j) => peerOf(p, `${w}.${peerKey}[${j}]`)),
      ports: arr(r.ports).map((p, j) => portOf(p, `${w}.ports[${j}]`)),
    };
  });
}

function policyOf(o: K8sObject): Policy {
  const spec = isObj(o.object.spec) ? o.object.spec : {};
  const ingress = rulesOf(spec.ingress, 'from', 'spec.ingress');
  const egress = rulesOf(spec.egress, 'to', 'spec.egress');
  const types = arr(spec.policyTypes).map(String);
  for (const t of types)
    if (t !== 'Ingress' && t !== 'Egress')
      throw new BulwarkError('MALFORMED_INPUT', `spec.policyTypes: unknown type ${t}`);
  return {
    name: o.name,
    namespace: o.namespace || 'default',
    podSelector: spec.podSelector == null ? EVERYTHING : parseSelector(spec.podSelector, 'spec.podSelector'),
    ingress,
    egress,
    // policyTypes defaults: Ingress always, Egress when egress rules are present
    affectsIngress: types.length ? types.includes('Ingress') : true,
    affectsEgress: types.length ? types.includes('Egress') : egress.length > 0,
    source: sourceOf(o),
  };
}

function serviceOf(o: K8sObject): Service {
  const spec = isObj(o.object.spec) ? o.object.spec : {};
  const ports: ServicePort[] = [];
  arr(spec.ports).forEach((p, i) => {
    if (!isObj(p) || typeof p.port !== 'number') return;
    const targetPort = intOrString(p.targetPort);
    ports.push({
      ...(typeof p.name === 'string' && p.name ? { name: p.name } : {}),
      port: p.port,
      ...(targetPort !== undefined && targetPort !== 0 ? { targetPort } : {}),
      ...(typeof p.nodePort === 'number' ? { nodePort: p.nodePort } : {}),
      protocol: protocolOf(p.protocol, `spec.ports[${i}]`),
    });
  });
  return {
    name: o.name,
    namespace: o.namespace || 'default',
    type: str(spec.type) ?? 'ClusterIP',
    ...(isObj(spec.selector) ? { selector: labelsOf(spec.selector) } : {}),
    ports,
    source: sourceOf(o),
  };
}

function ingressOf(o: K8sObject, warn: (m: string) => void): IngressObject {
  const spec = isObj(o.object.spec) ? o.object.spec : {};
  const backends: IngressBackend[] = [];
  const backend = (b: unknown, what: string) => {
    const svc = at(b, 'service');
    if (!isObj(svc) || typeof svc.name !== 'string') return warn(`${what} without Service, ignored`);
    const port = intOrString(at(svc, 'port', 'name')) ?? intOrString(at(svc, 'port', 'number'));
    backends.push({ service: svc.name, ...(port !== undefined && port !== 0 ? { port } : {}) });
  };
  if (o.kind === 'Route') {
    const targetPort = intOrString(at(spec, 'port', 'targetPort'));
    const targets = [spec.to, ...arr(spec.alternateBackends)];
    targets.forEach((t, i) => {
      if (!isObj(t)) return;
      if (t.kind !== undefined && t.kind !== '' && t.kind !== 'Service')
        return warn(`${i === 0 ? 'target' : 'alternate backend'} of kind ${String(t.kind)} ignored`);
      if (typeof t.name === 'string')
        backends.push({
          service: t.name,
          ...(targetPort !== undefined && targetPort !== 0 ? { port: targetPort } : {}),
        });
    });
  } else {
    if (spec.defaultBackend != null) backend(spec.defaultBackend, 'default backend');
    for (const r of arr(spec.rules))
      for (const p of arr(at(r, 'http', 'paths'))) backend(at(p, 'backend'), 'rule backend');
  }
  return {
    kind: o.kind as 'Ingress',
    name: o.name,
    namespace: o.namespace || 'default',
    backends,
    source: sourceOf(o),
  };
}

/** Builds the model; an object that cannot be understood is an error naming it, the rest still count. */
export function buildModel(objects: readonly K8sObject[]): Model {
  const m: Model = {
    workloads: [],
    namespaces: new Map(),
    policies: [],
    services: [],
    ingresses: [],
    errors: [],
    warnings: [],
  };
  const seen = new Set<string>();
  for (const o of objects) {
    const label = `${o.kind}/${o.name}${o.namespace ? ` (namespace ${o.namespace})` : ''}, line ${o.positionOf([]).line}`;
    try {
      switch (o.kind) {
        case 'Namespace': {
          if (m.namespaces.has(o.name)) {
            m.warnings.push({ file: o.file, message: `${label}: namespace defined twice, first kept` });
            break;
          }
          const labels = labelsOf(at(o.object, 'metadata', 'labels'));
          labels[NS_NAME_LABEL] = o.name;
          m.namespaces.set(o.name, { name: o.name, labels, source: sourceOf(o) });
          break;
        }
        case 'NetworkPolicy':
          m.policies.push(policyOf(o));
          break;
        case 'Service':
          m.services.push(serviceOf(o));
          break;
        case 'Ingress':
        case 'Route':
          if (o.kind === 'Route' && !o.apiVersion.startsWith('route.openshift.io/')) break;
          m.ingresses.push(
            ingressOf(o, (msg) => m.warnings.push({ file: o.file, message: `${label}: ${msg}` })),
          );
          break;
        default: {
          const w = workloadOf(o);
          if (!w) break;
          // pods of one controller are one workload: the first one's labels stand for all
          if (seen.has(w.id)) break;
          seen.add(w.id);
          m.workloads.push(w);
        }
      }
    } catch (e) {
      const err = e instanceof BulwarkError ? e : new BulwarkError('MALFORMED_INPUT', (e as Error).message);
      m.errors.push({ file: o.file, code: err.code, message: `${label}: ${err.message}` });
    }
  }
  for (const w of m.workloads)
    if (!m.namespaces.has(w.namespace))
      m.namespaces.set(w.namespace, { name: w.namespace, labels: { [NS_NAME_LABEL]: w.namespace } });
  return m;
}
