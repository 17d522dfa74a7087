import { BulwarkError } from '../core/errors.js';

/**
 * IP address ranges as inclusive [lo, hi] bigint intervals per family. bigint keeps IPv4 and
 * IPv6 in one code path; the sets involved are a few hundred intervals at most.
 */
export type IpFamily = 4 | 6;

export interface IpRange {
  v: IpFamily;
  lo: bigint;
  hi: bigint;
}

const MAX: Record<IpFamily, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };
const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

export const ALL_IPV4: IpRange = { v: 4, lo: 0n, hi: MAX[4] };

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const x = Number(p);
    if (x > 255) return undefined;
    n = (n << 8n) | BigInt(x);
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  let tail: bigint[] = [];
  // an IPv4 suffix (::ffff:1.2.3.4) counts as two groups
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.')) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    s = s.slice(0, lastColon);
    if (s.endsWith(':')) s += ':';
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string) => (h === '' ? [] : h.split(':'));
  const head = group(halves[0] ?? '');
  const rest = halves.length === 2 ? group(halves[1] ?? '') : [];
  const groups: bigint[] = [];
  for (const g of [...head, ...rest]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    groups.push(BigInt(`0x${g}`));
  }
  const total = groups.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const zeros = 8 - total;
  const all = [
    ...groups.slice(0, head.length),
    ...Array<bigint>(zeros).fill(0n),
    ...groups.slice(head.length),
    ...tail,
  ];
  let n = 0n;
  for (const g of all) n = (n << 16n) | g;
  return n;
}

/** Parses an address: IPv4 dotted quad or IPv6 (RFC 4291 text forms). */
export function parseIp(s: string): { v: IpFamily; n: bigint } | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { v: 4, n: v4 };
  const v6 = s.includes(':') ? parseV6(s) : undefined;
  return v6 === undefined ? undefined : { v: 6, n: v6 };
}

/** `10.0.0.0/8` → its range; host bits set are accepted and masked, as Go's net.ParseCIDR does. */
export function parseCidr(cidr: string): IpRange {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr.trim());
  const ip = m ? parseIp(m[1]!) : undefined;
  const len = m ? Number(m[2]) : NaN;
  if (!ip || !(len >= 0 && len <= BITS[ip.v]))
    throw new BulwarkError('MALFORMED_INPUT', `invalid CIDR address: ${cidr}`);
  const host = BITS[ip.v] - len;
  const lo = (ip.n >> BigInt(host)) << BigInt(host);
  return { v: ip.v, lo, hi: lo + (1n << BigInt(host)) - 1n };
}

/** `cidr` minus every `except` CIDR, as sorted disjoint ranges. */
export function ipBlockRanges(cidr: string, except: readonly string[] = []): IpRange[] {
  let out = [parseCidr(cidr)];
  for (const e of except) out = subtract(out, parseCidr(e));
  return out;
}

function subtract(set: IpRange[], cut: IpRange): IpRange[] {
  const out: IpRange[] = [];
  for (const r of set) {
    if (r.v !== cut.v || cut.hi < r.lo || cut.lo > r.hi) {
      out.push(r);
      continue;
    }
    if (cut.lo > r.lo) out.push({ v: r.v, lo: r.lo, hi: cut.lo - 1n });
    if (cut.hi < r.hi) out.push({ v: r.v, lo: cut.hi + 1n, hi: r.hi });
  }
  return out;
}

/** True when `r` lies inside one of `set`'s ranges. */
export function rangeWithin(r: IpRange, set: readonly IpRange[]): boolean {
  return set.some((s) => s.v === r.v && s.lo <= r.lo && r.hi <= s.hi);
}

/**
 * Cuts the IPv4 space (plus any IPv6 range named) at every boundary of `blocks`: the pieces are
 * the largest ranges no block starts or ends inside, so each block is a union of pieces. This is
 * how netpol-analyzer names external peers (`0.0.0.0-9.255.255.255`, `10.0.0.0-10.255.255.255`).
 */
export function disjointRanges(blocks: readonly IpRange[]): IpRange[] {
  const out: IpRange[] = [];
  for (const v of [4, 6] as const) {
    const mine = blocks.filter((b) => b.v === v);
    if (v === 6 && mine.length === 0) continue;
    const cuts = new Set<bigint>();
    const universe = v === 4 ? [ALL_IPV4] : mine;
    for (const b of [...universe, ...mine]) {
      cuts.add(b.lo);
      if (b.hi < MAX[v]) cuts.add(b.hi + 1n);
    }
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i < sorted.length; i++) {
      const lo = sorted[i]!;
      const hi = i + 1 < sorted.length ? sorted[i + 1]! - 1n : MAX[v];
      const piece = { v, lo, hi };
      // IPv6 pieces between the named blocks belong to no block: not a peer
      if (v === 6 && !rangeWithin(piece, mine)) continue;
      out.push(piece);
    }
  }
  return out;
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
}

function formatV6(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: the longest run (first on ties) of two or more zero groups becomes ::
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function formatIp(v: IpFamily, n: bigint): string {
  return v === 4 ? formatV4(n) : formatV6(n);
}

/** `a.b.c.d-e.f.g.h`, netpol-analyzer's spelling of a range (single addresses too). */
export function formatRange(r: IpRange): string {
  return `${formatIp(r.v, r.lo)}-${formatIp(r.v, r.hi)}`;
}
