import {
  ALL_CONNS,
  connsOf,
  intersect,
  isAll,
  isEmpty,
  NO_CONNS,
  PROTOCOLS,
  union,
  type ConnSet,
} from './conns.js';
import { disjointRanges, formatRange, rangeWithin, ALL_IPV4, type IpRange } from './ip.js';
import type { Model, Namespace, Policy, PolicyPeer, PolicyRule, Workload } from './model.js';
import { NS_NAME_LABEL } from './model.js';
import { matches } from './selector.js';
import { ingressConnections } from './ingress.js';

/**
 * The connectivity engine: NetworkPolicy v1 evaluated the way netpol-analyzer evaluates it. A
 * connection needs the source's egress and the destination's ingress; a pod no policy selects in
 * a direction allows everything in that direction; external peers are the IPv4 space cut at every
 * ipBlock boundary of the direction (ingress rules cut the sources, egress rules the destinations).
 */
export const INGRESS_CONTROLLER = 'ingress-controller';
export const INGRESS_CONTROLLER_NS = 'ingress-controller-ns';

export type Peer =
  | { type: 'ip'; id: string; range: IpRange }
  | { type: 'workload'; id: string; workload: Workload }
  | { type: 'ingress-controller'; id: string };

export interface Connection {
  src: string;
  dst: string;
  conns: ConnSet;
}

export interface FocusOptions {
  /** workload names or `namespace/name`; empty: every workload */
  workloads?: readonly string[];
  /** with `workloads`: only connections whose other end is one of these */
  peers?: readonly string[];
  direction?: 'ingress' | 'egress';
}

export interface Connectivity {
  connections: Connection[];
  /** workloads in the result (focus applied): every one is a node of the graph */
  workloads: Workload[];
  warnings: string[];
}

interface Compiled {
  policy: Policy;
  /** per rule, per peer: indexes of workloads it selects (pod/namespace selectors) */
  ingress: CompiledRule[];
  egress: CompiledRule[];
}

interface CompiledRule {
  rule: PolicyRule;
  /** undefined: the rule matches every peer */
  selected?: Set<number>;
  ipBlocks: IpRange[][];
  /** ports per destination workload index (named ports differ per pod); -1 for external destinations */
  connsFor: Map<number, ConnSet>;
}

const CONTROLLER_NS: Namespace = {
  name: INGRESS_CONTROLLER_NS,
  labels: { [NS_NAME_LABEL]: INGRESS_CONTROLLER_NS },
};
/** peer indexes for `Engine.allowed` besides workload indexes */
export const CONTROLLER_INDEX = -2;
export const IP_INDEX = -1;

export class Engine {
  readonly policies: Compiled[];
  /** per workload: policies selecting it for ingress / egress */
  private readonly ingressOf: Compiled[][];
  private readonly egressOf: Compiled[][];
  readonly warnings = new Set<string>();

  constructor(readonly model: Model) {
    const ws = model.workloads;
    this.policies = model.policies.map((p) => ({
      policy: p,
      ingress: p.ingress.map((r) => this.compileRule(r, p)),
      egress: p.egress.map((r) => this.compileRule(r, p)),
    }));
    this.ingressOf = ws.map(() => []);
    this.egressOf = ws.map(() => []);
    for (const c of this.policies) {
      const p = c.policy;
      ws.forEach((w, i) => {
        if (w.namespace !== p.namespace || !matches(p.podSelector, w.labels)) return;
        if (p.affectsIngress) this.ingressOf[i]!.push(c);
        if (p.affectsEgress) this.egressOf[i]!.push(c);
      });
    }
  }

  /** The policies selecting workload `i` in one direction. */
  policiesOf(i: number, direction: 'ingress' | 'egress'): Policy[] {
    return (direction === 'ingress' ? this.ingressOf[i]! : this.egressOf[i]!).map((c) => c.policy);
  }

  private nsOf(w: Workload): Namespace {
    return (
      this.model.namespaces.get(w.namespace) ?? {
        name: w.namespace,
        labels: { [NS_NAME_LABEL]: w.namespace },
      }
    );
  }

  private peerSelects(
    peer: PolicyPeer,
    policyNs: string,
    ns: Namespace,
    labels: Readonly<Record<string, string>>,
  ): boolean {
    const nsMatch = peer.namespaceSelector
      ? matches(peer.namespaceSelector, ns.labels)
      : ns.name === policyNs;
    return nsMatch && (!peer.podSelector || matches(peer.podSelector, labels));
  }

  private compileRule(rule: PolicyRule, p: Policy): CompiledRule {
    const ipBlocks = rule.peers.filter((x) => x.ipBlock).map((x) => x.ipBlock!.ranges);
    if (rule.peers.length === 0) return { rule, ipBlocks, connsFor: new Map() };
    const selected = new Set<number>();
    const sel = rule.peers.filter((x) => !x.ipBlock);
    this.model.workloads.forEach((w, i) => {
      const ns = this.nsOf(w);
      if (sel.some((x) => this.peerSelects(x, p.namespace, ns, w.labels))) selected.add(i);
    });
    if (sel.some((x) => this.peerSelects(x, p.namespace, CONTROLLER_NS, {}))) selected.add(CONTROLLER_INDEX);
    return { rule, selected, ipBlocks, connsFor: new Map() };
  }

  /** The rule's ports for one destination: named ports resolve on the destination's containers. */
  private ruleConns(c: CompiledRule, dst: number, p: Policy): ConnSet {
    const cached = c.connsFor.get(dst);
    if (cached) return cached;
    let out: ConnSet = NO_CONNS;
    if (c.rule.ports.length === 0) out = ALL_CONNS;
    for (const port of c.rule.ports) {
      if (port.port === undefined) out = union(out, connsOf(port.protocol));
      else if (typeof port.port === 'number')
        out = union(out, connsOf(port.protocol, port.port, port.endPort ?? port.port));
      else {
        const w = dst >= 0 ? this.model.workloads[dst] : undefined;
        const cp = w?.ports.find((x) => x.name === port.port);
        if (cp && cp.protocol === port.protocol) out = union(out, connsOf(port.protocol, cp.port, cp.port));
        else if (w)
          this.warnings.add(
            `NetworkPolicy '${p.namespace}/${p.name}': named port ${port.port} not defined in ${w.id}`,
          );
      }
    }
    c.connsFor.set(dst, out);
    return out;
  }

  private ruleSelects(c: CompiledRule, peer: number, range: IpRange | undefined): boolean {
    if (!c.selected) return true;
    if (range) return c.ipBlocks.some((b) => rangeWithin(range, b));
    return c.selected.has(peer);
  }

  /** per workload and direction: the rules of the policies selecting it, flattened */
  private rulesOf(i: number, ingress: boolean): { r: CompiledRule; p: Policy; named: boolean }[] {
    const cache = ingress ? this.inRules : this.outRules;
    let list = cache.get(i);
    if (!list) {
      list = [];
      for (const c of ingress ? this.ingressOf[i]! : this.egressOf[i]!)
        for (const r of ingress ? c.ingress : c.egress)
          list.push({ r, p: c.policy, named: r.rule.ports.some((x) => typeof x.port === 'string') });
      cache.set(i, list);
    }
    return list;
  }

  private readonly inRules = new Map<number, { r: CompiledRule; p: Policy; named: boolean }[]>();
  private readonly outRules = new Map<number, { r: CompiledRule; p: Policy; named: boolean }[]>();
  private readonly inCache = new Map<number, Map<number | string, ConnSet>>();
  private readonly outCache = new Map<number, Map<number | string, ConnSet>>();

  /**
   * Connections the policies selecting workload `i` allow in one direction. `peer` is the other
   * end (workload index, IP_INDEX with `range`, or CONTROLLER_INDEX); `dst` the destination's
   * index for named ports. The result depends only on which rules select the peer (and, for
   * egress rules with named ports, on the destination), so it is cached by that.
   */
  private xgress(
    i: number,
    ingress: boolean,
    peer: number,
    range: IpRange | undefined,
    dst: number,
  ): ConnSet {
    if ((ingress ? this.ingressOf[i]! : this.egressOf[i]!).length === 0) return ALL_CONNS;
    const rules = this.rulesOf(i, ingress);
    // which rules select the peer: a bit mask while they fit, a list beyond
    let mask = 0;
    let list = '';
    let named = false;
    for (let k = 0; k < rules.length; k++)
      if (this.ruleSelects(rules[k]!.r, peer, range)) {
        if (k < 30) mask |= 1 << k;
        else list += `${k},`;
        if (rules[k]!.named) named = true;
      }
    const key: number | string =
      named && !ingress ? `${mask}|${list}|${dst}` : list ? `${mask}|${list}` : mask;
    const caches = ingress ? this.inCache : this.outCache;
    let cache = caches.get(i);
    if (!cache) caches.set(i, (cache = new Map()));
    const hit = cache.get(key);
    if (hit) return hit;
    let out = NO_CONNS;
    for (const x of rules) {
      if (!this.ruleSelects(x.r, peer, range)) continue;
      out = union(out, this.ruleConns(x.r, dst, x.p));
      if (isAll(out)) break;
    }
    cache.set(key, out);
    return out;
  }

  /** src/dst: workload index, IP_INDEX (with the range) or CONTROLLER_INDEX. */
  allowed(src: number, dst: number, range?: IpRange): ConnSet {
    const egress =
      src >= 0 ? this.xgress(src, false, dst, dst === IP_INDEX ? range : undefined, dst) : ALL_CONNS;
    if (isEmpty(egress)) return egress;
    const ingress =
      dst >= 0 ? this.xgress(dst, true, src, src === IP_INDEX ? range : undefined, dst) : ALL_CONNS;
    if (egress === ALL_CONNS) return ingress;
    if (ingress === ALL_CONNS) return egress;
    return intersect(egress, ingress);
  }

  /** IPv4 (and any IPv6 named) cut at the ipBlock boundaries of one direction's rules. */
  externalPeers(direction: 'ingress' | 'egress'): IpRange[] {
    const blocks: IpRange[] = [];
    for (const c of this.policies)
      for (const r of direction === 'ingress' ? c.ingress : c.egress)
        for (const b of r.ipBlocks) blocks.push(...b);
    return blocks.length ? disjointRanges(blocks) : [ALL_IPV4];
  }
}

function focusMatch(name: string, namespace: string, list: readonly string[] | undefined): boolean {
  if (!list || list.length === 0) return true;
  return list.some((f) => f === name || f === `${namespace}/${name}`);
}

export function peerName(p: Peer): { name: string; namespace: string } {
  if (p.type === 'workload') return { name: p.workload.name, namespace: p.workload.namespace };
  if (p.type === 'ingress-controller') return { name: INGRESS_CONTROLLER, namespace: INGRESS_CONTROLLER_NS };
  return { name: '', namespace: '' };
}

/** netpol-analyzer's includePairOfWorkloads. */
function includePair(src: Peer, dst: Peer, f: FocusOptions): boolean {
  if (src.type === 'ip' && dst.type === 'ip') return false;
  if (src.id === dst.id) return false;
  const s = peerName(src);
  const d = peerName(dst);
  const isFocus = (x: { name: string; namespace: string }) => focusMatch(x.name, x.namespace, f.workloads);
  const isFocusPeer = (x: { name: string; namespace: string }) =>
    !f.workloads?.length || focusMatch(x.name, x.namespace, f.peers);
  if (f.direction === 'ingress' && !isFocus(d)) return false;
  if (f.direction === 'egress' && !isFocus(s)) return false;
  return (isFocus(s) && isFocusPeer(d)) || (isFocus(d) && isFocusPeer(s));
}

export const externalId = (r: IpRange): string => `${formatRange(r)}[External]`;

/** Every allowed connection between the model's workloads, external ranges and the ingress controller. */
export function connectivity(model: Model, focus: FocusOptions = {}): Connectivity {
  const engine = new Engine(model);
  const ws = model.workloads;
  const wPeers: Peer[] = ws.map((w) => ({ type: 'workload', id: w.id, workload: w }));
  const exists = (list: readonly string[] | undefined, withController: boolean) =>
    !list?.length ||
    list.some(
      (f) =>
        (withController && f === INGRESS_CONTROLLER) ||
        ws.some((w) => f === w.name || f === `${w.namespace}/${w.name}`),
    );
  const ingressObjects = ingressConnections(model, engine);
  const hasIngress = ingressObjects.length > 0;
  const result: Connectivity = { connections: [], workloads: [], warnings: [] };
  result.workloads = ws.filter(
    (w) =>
      focusMatch(w.name, w.namespace, focus.workloads) ||
      (Boolean(focus.peers?.length) &&
        (!focus.workloads?.length || focusMatch(w.name, w.namespace, focus.peers))),
  );
  if (ws.length === 0) return result;
  if (!exists(focus.workloads, hasIngress) || (focus.workloads?.length && !exists(focus.peers, hasIngress))) {
    result.warnings.push('none of the focus workloads exist: the connection list is empty');
    return result;
  }
  const srcIps: Peer[] = engine
    .externalPeers('ingress')
    .map((r) => ({ type: 'ip', id: externalId(r), range: r }));
  const dstIps: Peer[] = engine
    .externalPeers('egress')
    .map((r) => ({ type: 'ip', id: externalId(r), range: r }));
  const index = new Map(ws.map((w, i) => [w.id, i]));
  const idx = (p: Peer) =>
    p.type === 'workload' ? index.get(p.id)! : p.type === 'ip' ? IP_INDEX : CONTROLLER_INDEX;
  const focused = Boolean(focus.workloads?.length || focus.peers?.length || focus.direction);
  const srcs = [...srcIps, ...wPeers].map((p) => ({ p, i: idx(p) }));
  const dsts = [...dstIps, ...wPeers].map((p) => ({ p, i: idx(p) }));
  for (const s of srcs)
    for (const d of dsts) {
      if (s.i === IP_INDEX && d.i === IP_INDEX) continue;
      if (s.p === d.p) continue;
      if (focused && !includePair(s.p, d.p, focus)) continue;
      const range = s.p.type === 'ip' ? s.p.range : d.p.type === 'ip' ? d.p.range : undefined;
      const conns = engine.allowed(s.i, d.i, range);
      if (!isEmpty(conns)) result.connections.push({ src: s.p.id, dst: d.p.id, conns });
    }
  const controller: Peer = { type: 'ingress-controller', id: `{${INGRESS_CONTROLLER}}` };
  for (const { workload, conns } of ingressObjects) {
    const i = index.get(workload.id)!;
    if (!includePair(controller, wPeers[i]!, focus)) continue;
    const allowed = intersect(conns, engine.allowed(CONTROLLER_INDEX, i));
    if (isEmpty(allowed)) {
      result.warnings.push(`ingress to ${workload.id} is blocked by its network policies`);
      continue;
    }
    result.connections.push({ src: controller.id, dst: workload.id, conns: allowed });
  }
  result.warnings.push(...engine.warnings);
  result.connections.sort((a, b) => cmp(a.src, b.src) || cmp(a.dst, b.dst));
  return result;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export { PROTOCOLS };
