import { compareDigits, compareStrings, defineScheme, isAlphaCode, isDigitCode } from '../scheme.js';

/** epoch:version-release as rpm's own EVR parser splits it. */
export interface RpmEvr {
  epoch: string;
  version: string;
  /** undefined when the string has no `-release` part */
  release: string | undefined;
}

/**
 * Splits like rpm's rpmverParse (rpm 4.18 `lib/rpmver.c`): leading digits followed by `:` are the
 * epoch (an empty epoch is 0), the text after the last `-` is the release. Invalid exactly where
 * rpm's labelCompare (rpmverNew) raises: an empty version part (``, `-1`, `1:`, `1:-1`). Any other
 * character is a separator for rpmvercmp, so `1.0-`, `a:1`, `1.0 1` and `1.0é` are versions that
 * rpm orders, and so does bulwark.
 */
export function parseRpmEvr(v: string): RpmEvr | undefined {
  let rest = v;
  let epoch = '0';
  const m = /^([0-9]*):/.exec(v);
  if (m) {
    epoch = m[1] === '' ? '0' : m[1]!;
    rest = v.slice(m[0].length);
  }
  let version = rest;
  let release: string | undefined;
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    version = rest.slice(0, hyphen);
    release = rest.slice(hyphen + 1);
  }
  if (version === '') return undefined;
  return { epoch, version, release };
}

/** rpm's rpmvercmp: alphanumeric segments, `~` sorts before all, `^` after the base only. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const sep = (s: string, k: number): boolean => {
    const c = s.charCodeAt(k);
    return !isDigitCode(c) && !isAlphaCode(c) && c !== 126 && c !== 94;
  };
  while (i < a.length || j < b.length) {
    while (i < a.length && sep(a, i)) i++;
    while (j < b.length && sep(b, j)) j++;
    const ca = a[i];
    const cb = b[j];
    if (ca === '~' || cb === '~') {
      if (ca !== '~') return 1;
      if (cb !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === '^' || cb === '^') {
      if (ca === undefined) return -1;
      if (cb === undefined) return 1;
      if (ca !== '^') return 1;
      if (cb !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (ca === undefined || cb === undefined) break;
    const si = i;
    const sj = j;
    const isnum = isDigitCode(a.charCodeAt(i));
    const inSeg = isnum ? isDigitCode : isAlphaCode;
    while (i < a.length && inSeg(a.charCodeAt(i))) i++;
    while (j < b.length && inSeg(b.charCodeAt(j))) j++;
    // A numeric segment is newer than an alphabetic one.
    if (sj === j) return isnum ? 1 : -1;
    const sa = a.slice(si, i);
    const sb = b.slice(sj, j);
    const r = isnum ? compareDigits(sa, sb) : compareStrings(sa, sb);
    if (r !== 0) return r;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** rpm's labelCompare on (epoch, version, release); a missing release sorts first. */
export function compareRpmEvr(a: RpmEvr, b: RpmEvr): number {
  const e = rpmvercmp(a.epoch, b.epoch);
  if (e !== 0) return e;
  const v = rpmvercmp(a.version, b.version);
  if (v !== 0) return v;
  if (a.release === undefined || b.release === undefined) {
    if (a.release === b.release) return 0;
    return a.release === undefined ? -1 : 1;
  }
  return rpmvercmp(a.release, b.release);
}

/** rpm ordering, used for Red Hat, SUSE, Rocky Linux, AlmaLinux and the other rpm distributions. */
export const rpmScheme = defineScheme('rpm', parseRpmEvr, compareRpmEvr);
