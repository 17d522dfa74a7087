import { compareDigits, compareStrings, defineScheme } from '../scheme.js';

/**
 * A PEP 440 version reduced to packaging's sort key. Numbers stay digit strings: releases such as
 * `20240101123456789012` must not lose precision (the @renovatebot/pep440 comparator converts
 * them to floating point numbers, so it only serves here as a second opinion in tests).
 */
export interface Pep440Version {
  epoch: string;
  release: string[];
  pre: { letter: string; n: string } | undefined;
  post: string | undefined;
  dev: string | undefined;
  local: Array<string> | undefined;
}

// PEP 440's canonical pattern (appendix B), with surrounding ASCII whitespace allowed.
const PATTERN = new RegExp(
  '^[ \\t\\n\\r\\f\\v]*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<pre_l>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '[ \\t\\n\\r\\f\\v]*$',
  'i',
);

const PRE_LETTER: Record<string, string> = {
  a: 'a',
  alpha: 'a',
  b: 'b',
  beta: 'b',
  c: 'rc',
  rc: 'rc',
  pre: 'rc',
  preview: 'rc',
};

export function parsePep440(v: string): Pep440Version | undefined {
  const g = PATTERN.exec(v)?.groups;
  if (!g) return undefined;
  const release = g.release!.split('.');
  while (release.length > 1 && /^0+$/.test(release[release.length - 1]!)) release.pop();
  if (release.length === 1 && /^0+$/.test(release[0]!)) release.pop();
  return {
    epoch: g.epoch ?? '0',
    release,
    pre: g.pre_l ? { letter: PRE_LETTER[g.pre_l.toLowerCase()]!, n: g.pre_n ?? '0' } : undefined,
    post: g.post ? (g.post_n1 ?? g.post_n2 ?? '0') : undefined,
    dev: g.dev ? (g.dev_n ?? '0') : undefined,
    local: g.local ? g.local.toLowerCase().split(/[-_.]/) : undefined,
  };
}

/** -inf < value < +inf wrapper, as packaging's Infinity / NegativeInfinity sentinels. */
type Bound<T> = { inf: -1 | 1 } | { v: T };

function cmpBound<T>(a: Bound<T>, b: Bound<T>, cmp: (x: T, y: T) => number): number {
  const ai = 'inf' in a ? a.inf : 0;
  const bi = 'inf' in b ? b.inf : 0;
  if (ai !== 0 || bi !== 0) return ai - bi;
  return cmp((a as { v: T }).v, (b as { v: T }).v);
}

function cmpRelease(a: string[], b: string[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const r = compareDigits(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return a.length - b.length;
}

function cmpLocal(a: string[], b: string[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    // Numeric local segments sort after alphanumeric ones.
    const r = xn && yn ? compareDigits(x, y) : xn !== yn ? (xn ? 1 : -1) : compareStrings(x, y);
    if (r !== 0) return r;
  }
  return a.length - b.length;
}

export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  const preKey = (v: Pep440Version): Bound<{ letter: string; n: string }> =>
    v.pre ? { v: v.pre } : v.post === undefined && v.dev !== undefined ? { inf: -1 } : { inf: 1 };
  return (
    compareDigits(a.epoch, b.epoch) ||
    cmpRelease(a.release, b.release) ||
    cmpBound(preKey(a), preKey(b), (x, y) => compareStrings(x.letter, y.letter) || compareDigits(x.n, y.n)) ||
    cmpBound<string>(
      a.post === undefined ? { inf: -1 } : { v: a.post },
      b.post === undefined ? { inf: -1 } : { v: b.post },
      compareDigits,
    ) ||
    cmpBound<string>(
      a.dev === undefined ? { inf: 1 } : { v: a.dev },
      b.dev === undefined ? { inf: 1 } : { v: b.dev },
      compareDigits,
    ) ||
    cmpBound<string[]>(
      a.local === undefined ? { inf: -1 } : { v: a.local },
      b.local === undefined ? { inf: -1 } : { v: b.local },
      cmpLocal,
    )
  );
}

export const pypiScheme = defineScheme('pep440', parsePep440, comparePep440);

/** PEP 503 project name normalisation. */
export function normalizePypiName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
