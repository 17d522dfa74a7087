import { BulwarkError } from '../core/errors.js';
import type { VersionScheme } from './types.js';

/** Longer versions are rejected so one comparison stays cheap whatever a feed or image holds. */
export const MAX_VERSION_LENGTH = 256;

/** Parsed versions kept per scheme. */
const MEMO_LIMIT = 100_000;

/**
 * Builds a VersionScheme from a parser (undefined for invalid input) and a comparison of parsed
 * values, so every scheme bounds input, validates and reports errors the same way.
 */
export function defineScheme<P>(
  id: string,
  parse: (v: string) => P | undefined,
  cmp: (a: P, b: P) => number,
  key?: (p: P) => string,
): VersionScheme {
  // Matching compares the same few thousand strings (installed versions, range events, PyPI's
  // long `versions` lists) over and over: parse each once. Parsed values are never mutated by
  // `cmp`. Bounded: the memo is dropped when it grows past MEMO_LIMIT entries.
  const memo = new Map<string, P | null>();
  const parsed = (v: string): P | undefined => {
    if (typeof v !== 'string' || v.length > MAX_VERSION_LENGTH) return undefined;
    const hit = memo.get(v);
    if (hit !== undefined) return hit ?? undefined;
    const p = parse(v);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(v, p === undefined ? null : p);
    return p;
  };
  const required = (v: string): P => {
    const p = parsed(v);
    if (p === undefined) {
      const shown = typeof v === 'string' ? v.slice(0, 80) : String(v);
      throw new BulwarkError('MALFORMED_INPUT', `not a valid ${id} version`, { input: shown });
    }
    return p;
  };
  const keys = new Map<string, string | null>();
  const canonical = key
    ? (v: string): string | undefined => {
        const hit = keys.get(v);
        if (hit !== undefined) return hit ?? undefined;
        const p = parsed(v);
        const k = p === undefined ? undefined : key(p);
        if (keys.size >= MEMO_LIMIT) keys.clear();
        keys.set(v, k ?? null);
        return k;
      }
    : undefined;
  return {
    id,
    isValid: (v) => parsed(v) !== undefined,
    compare(a, b) {
      const pa = required(a);
      const pb = required(b);
      return Math.sign(cmp(pa, pb)) || 0;
    },
    ...(canonical ? { canonical } : {}),
  };
}

/** Compares two strings of ASCII digits as unbounded non-negative integers. */
export function compareDigits(a: string, b: string): number {
  let i = 0;
  while (i < a.length - 1 && a.charCodeAt(i) === 48) i++;
  let j = 0;
  while (j < b.length - 1 && b.charCodeAt(j) === 48) j++;
  const x = a.slice(i);
  const y = b.slice(j);
  if (x === '0' || x === '') {
    if (y === '0' || y === '') return 0;
  }
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Plain code-unit ordering (C's strcmp on ASCII), independent of locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlphaCode(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
