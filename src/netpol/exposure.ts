import { ALL_CONNS, connsOf, intersect, isEmpty, NO_CONNS, union, type ConnSet } from './conns.js';
import { CONTROLLER_INDEX, IP_INDEX, type Engine } from './engine.js';
import { ingressConnections } from './ingress.js';
import type { Service, Source, Workload } from './model.js';
import { connString } from './conns.js';

/**
 * Ways in from outside the cluster, per workload, after NetworkPolicies: NodePort and
 * LoadBalancer Services, Ingress and Route objects (through the ingress controller), host
 * networking and host ports. Each path says what makes the workload reachable.
 */
export type ExposureKind = 'NodePort' | 'LoadBalancer' | 'Ingress' | 'Route' | 'hostNetwork' | 'hostPort';

export interface ExposurePath {
  kind: ExposureKind;
  /** `internet → LoadBalancer Service shop/web :80 → shop/web[Deployment]` */
  path: string;
  /** what still passes the workload's ingress policies */
  conns: ConnSet;
  /** the object that opens the way (Service, Ingress, Route, or the workload itself) */
  source: Source;
}

function servicePorts(svc: Service, w: Workload): ConnSet {
  let out = NO_CONNS;
  for (const p of svc.ports) {
    const target = p.targetPort ?? p.port;
    const port = typeof target === 'number' ? target : w.ports.find((c) => c.name === target)?.port;
    if (port !== undefined) out = union(out, connsOf(p.protocol, port, port));
  }
  return out;
}

function selects(svc: Service, w: Workload): boolean {
  if (!svc.selector || svc.namespace !== w.namespace || Object.keys(svc.selector).length === 0) return false;
  for (const k in svc.selector) if (w.labels[k] !== svc.selector[k]) return false;
  return true;
}

export function exposures(engine: Engine): Map<string, ExposurePath[]> {
  const model = engine.model;
  const out = new Map<string, ExposurePath[]>();
  const add = (w: Workload, p: ExposurePath) => out.set(w.id, [...(out.get(w.id) ?? []), p]);
  const fromOutside = model.workloads.map((_, i) => {
    let all = NO_CONNS;
    for (const r of engine.externalPeers('ingress')) all = union(all, engine.allowed(IP_INDEX, i, r));
    return all;
  });
  model.workloads.forEach((w, i) => {
    if (w.hostNetwork)
      add(w, {
        kind: 'hostNetwork',
        path: `node network → ${w.id} (hostNetwork: NetworkPolicies do not apply)`,
        conns: ALL_CONNS,
        source: w.source,
      });
    for (const hp of w.hostPorts)
      add(w, {
        kind: 'hostPort',
        path: `node port ${hp} → ${w.id}`,
        conns: connsOf('TCP', hp, hp),
        source: w.source,
      });
    for (const svc of model.services) {
      if ((svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') || !selects(svc, w)) continue;
      const conns = intersect(servicePorts(svc, w), fromOutside[i]!);
      if (isEmpty(conns)) continue;
      const ports = svc.ports.map((p) =>
        svc.type === 'NodePort' && p.nodePort ? `${p.nodePort}` : `${p.port}`,
      );
      add(w, {
        kind: svc.type,
        path: `internet → ${svc.type} Service ${svc.namespace}/${svc.name} :${ports.join(',')} → ${w.id} : ${connString(conns)}`,
        conns,
        source: svc.source,
      });
    }
  });
  const index = new Map(model.workloads.map((w, i) => [w.id, i]));
  for (const t of ingressConnections(model)) {
    const allowed = intersect(t.conns, engine.allowed(CONTROLLER_INDEX, index.get(t.workload.id)!));
    if (isEmpty(allowed)) continue;
    const seen = new Set<string>();
    for (const v of t.via) {
      const key = `${v.object.kind}/${v.object.namespace}/${v.object.name}/${v.service.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      add(t.workload, {
        kind: v.object.kind,
        path: `internet → {ingress-controller} → ${v.object.kind} ${v.object.namespace}/${v.object.name} → Service ${v.service.namespace}/${v.service.name} → ${t.workload.id} : ${connString(allowed)}`,
        conns: allowed,
        source: v.object.source,
      });
    }
  }
  return out;
}
