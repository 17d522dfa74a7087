import { connsOf, NO_CONNS, union, type ConnSet } from './conns.js';
import type { Engine } from './engine.js';
import type { IngressObject, Model, Service, Workload } from './model.js';

/**
 * What Ingress and OpenShift Route objects open to the cluster's ingress controller, before
 * NetworkPolicies: TCP to the ports of each Service they name, on the pods the Service selects,
 * as netpol-analyzer's ingress analyzer computes it (a port counts only when a container of the
 * workload declares it).
 */
export interface IngressTarget {
  workload: Workload;
  conns: ConnSet;
  /** the Ingress/Route objects and Services on the way, for exposure findings */
  via: { object: IngressObject; service: Service }[];
}

function selects(svc: Service, w: Workload): boolean {
  if (!svc.selector || w.namespace !== svc.namespace) return false;
  for (const k in svc.selector) if (w.labels[k] !== svc.selector[k]) return false;
  return true;
}

/** The service ports an ingress backend reaches on the pods (getPeerAccessPort). */
function accessPorts(
  svc: Service,
  required: number | string | undefined,
  route: boolean,
): (number | string)[] {
  const out: (number | string)[] = [];
  for (const p of svc.ports) {
    const access = p.targetPort ?? p.port;
    if (required === undefined) {
      out.push(access);
      continue;
    }
    // a Route's targetPort keeps its type (name or number); an Ingress backend's name compares as untyped
    const targetEq =
      typeof required === 'number' ? p.targetPort === required : route && p.targetPort === required;
    if ((p.name !== undefined && p.name === required) || p.port === required || targetEq) return [access];
  }
  return out;
}

function peerConns(
  w: Workload,
  svc: Service,
  required: number | string | undefined,
  route: boolean,
): ConnSet {
  let out = NO_CONNS;
  for (const ap of accessPorts(svc, required, route)) {
    let port: number;
    if (typeof ap === 'string') {
      const cp = w.ports.find((x) => x.name === ap);
      if (!cp || cp.protocol !== 'TCP') continue;
      port = cp.port;
    } else port = ap;
    // netpol-analyzer counts every container port as TCP here, whatever its protocol
    if (w.ports.some((x) => x.port === port)) out = union(out, connsOf('TCP', port, port));
  }
  return out;
}

export function ingressConnections(model: Model, _engine?: Engine): IngressTarget[] {
  const services = model.services.filter((s) => s.selector && model.workloads.some((w) => selects(s, w)));
  if (services.length === 0) return [];
  const byName = new Map(services.map((s) => [`${s.namespace}/${s.name}`, s]));
  const out = new Map<string, IngressTarget>();
  let any = false;
  for (const obj of model.ingresses) {
    if (obj.backends.length === 0) continue;
    any = true;
    if (!services.some((s) => s.namespace === obj.namespace)) continue;
    for (const b of obj.backends) {
      const svc = byName.get(`${obj.namespace}/${b.service}`);
      if (!svc) continue;
      for (const w of model.workloads) {
        if (!selects(svc, w)) continue;
        const conns = peerConns(w, svc, b.port, obj.kind === 'Route');
        const t = out.get(w.id) ?? { workload: w, conns: NO_CONNS, via: [] };
        t.conns = union(t.conns, conns);
        t.via.push({ object: obj, service: svc });
        out.set(w.id, t);
      }
    }
  }
  return any ? [...out.values()] : [];
}
