/**
 * Connection sets: for each protocol NetworkPolicy knows, the sorted disjoint port ranges
 * allowed. Immutable values; every operation returns a new set.
 */
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** inclusive [lo, hi] */
export type PortRange = readonly [number, number];

export interface ConnSet {
  readonly SCTP: readonly PortRange[];
  readonly TCP: readonly PortRange[];
  readonly UDP: readonly PortRange[];
}

const FULL: readonly PortRange[] = [[MIN_PORT, MAX_PORT]];
export const NO_CONNS: ConnSet = { SCTP: [], TCP: [], UDP: [] };
export const ALL_CONNS: ConnSet = { SCTP: FULL, TCP: FULL, UDP: FULL };

export function isProtocol(p: string): p is Protocol {
  return (PROTOCOLS as readonly string[]).includes(p);
}

function normalize(ranges: PortRange[]): PortRange[] {
  const s = ranges.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function intersectRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [a0, a1] = a[i]!;
    const [b0, b1] = b[j]!;
    const lo = Math.max(a0, b0);
    const hi = Math.min(a1, b1);
    if (lo <= hi) out.push([lo, hi]);
    if (a1 < b1) i++;
    else j++;
  }
  return out;
}

function subtractRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  let out: PortRange[] = [...a];
  for (const [c0, c1] of b) {
    const next: PortRange[] = [];
    for (const [a0, a1] of out) {
      if (c1 < a0 || c0 > a1) next.push([a0, a1]);
      else {
        if (c0 > a0) next.push([a0, c0 - 1]);
        if (c1 < a1) next.push([c1 + 1, a1]);
      }
    }
    out = next;
  }
  return out;
}

export function connsOf(protocol: Protocol, lo = MIN_PORT, hi = MAX_PORT): ConnSet {
  return { ...NO_CONNS, [protocol]: lo <= hi ? [[lo, hi]] : [] };
}

export function union(a: ConnSet, b: ConnSet): ConnSet {
  return {
    SCTP: normalize([...a.SCTP, ...b.SCTP]),
    TCP: normalize([...a.TCP, ...b.TCP]),
    UDP: normalize([...a.UDP, ...b.UDP]),
  };
}

export function intersect(a: ConnSet, b: ConnSet): ConnSet {
  return {
    SCTP: intersectRanges(a.SCTP, b.SCTP),
    TCP: intersectRanges(a.TCP, b.TCP),
    UDP: intersectRanges(a.UDP, b.UDP),
  };
}

export function subtract(a: ConnSet, b: ConnSet): ConnSet {
  return {
    SCTP: subtractRanges(a.SCTP, b.SCTP),
    TCP: subtractRanges(a.TCP, b.TCP),
    UDP: subtractRanges(a.UDP, b.UDP),
  };
}

export function isEmpty(c: ConnSet): boolean {
  return c.SCTP.length === 0 && c.TCP.length === 0 && c.UDP.length === 0;
}

const isFull = (r: readonly PortRange[]) => r.length === 1 && r[0]![0] === MIN_PORT && r[0]![1] === MAX_PORT;

export function isAll(c: ConnSet): boolean {
  return isFull(c.SCTP) && isFull(c.TCP) && isFull(c.UDP);
}

export function equals(a: ConnSet, b: ConnSet): boolean {
  return connString(a) === connString(b);
}

/** True when every connection of `a` is in `b`. */
export function contains(b: ConnSet, a: ConnSet): boolean {
  return isEmpty(subtract(a, b));
}

/** netpol-analyzer's spelling: `All Connections`, `No Connections`, `SCTP 9003,TCP 80-90,UDP 53`. */
export function connString(c: ConnSet): string {
  if (isAll(c)) return 'All Connections';
  if (isEmpty(c)) return 'No Connections';
  const parts: string[] = [];
  for (const p of PROTOCOLS) {
    const r = c[p];
    if (r.length === 0) continue;
    parts.push(`${p} ${r.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`);
  }
  return parts.join(',');
}
