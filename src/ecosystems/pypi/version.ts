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

// Python's `\s` on str (what packaging strips around a version): Unicode whitespace, including
// U+001C-U+001F and U+0085, which JavaScript's `\s` lacks, and without JavaScript's U+FEFF.
const WS = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*';

// Python's re.IGNORECASE on str also matches U+0130 and U+0131 to `i`, U+017F to `s` and
// U+212A to `k`; JavaScript's `i` flag does not, so those letters of the pattern are spelled out.
const I = '[i\\u0130\\u0131]';
const ALNUM = '[a-z0-9\\u0130\\u0131\\u017f\\u212a]';

// PEP 440's canonical pattern (appendix B), with surrounding whitespace allowed as packaging has it.
const PATTERN = new RegExp(
  `^${WS}v?` +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    `(?<pre>[-_.]?(?<pre_l>a|b|c|rc|alpha|beta|pre|prev${I}ew)[-_.]?(?<pre_n>[0-9]+)?)?` +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>po[s\\u017f]t|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?' +
    `(?:\\+(?<local>${ALNUM}+(?:[-_.]${ALNUM}+)*))?` +
    `${WS}$`,
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

function preLetter(l: string): string {
  const lower = l.toLowerCase();
  return Object.hasOwn(PRE_LETTER, lower) ? PRE_LETTER[lower]! : lower;
}

export function parsePep440(v: string): Pep440Version | undefined {
  const g = PATTERN.exec(v)?.groups;
  if (!g) return undefined;
  const release = g.release!.split('.');
  while (release.length > 1 && /^0+$/.test(release[release.length - 1]!)) release.pop();
  if (release.length === 1 && /^0+$/.test(release[0]!)) release.pop();
  return {
    epoch: g.epoch ?? '0',
    release,
    // A letter spelled with U+0130/U+0131 (`prevıew`) is no known spelling for packaging either:
    // it keeps the lower-cased letter, which then sorts as text.
    pre: g.pre_l ? { letter: preLetter(g.pre_l), n: g.pre_n ?? '0' } : undefined,
    post: g.post ? (g.post_n1 ?? g.post_n2 ?? '0') : undefined,
    dev: g.dev ? (g.dev_n ?? '0') : undefined,
    local: g.local ? g.local.toLowerCase().split(/[-_.]/) : undefined,
  };
}

function cmpRelease(a: string[], b: string[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const r = compareDigits(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  return a.length - b.length;
}

const NUMERIC = /^[0-9]+$/;

function cmpLocal(a: string[], b: string[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = NUMERIC.test(x);
    const yn = NUMERIC.test(y);
    // Numeric local segments sort after alphanumeric ones.
    const r = xn && yn ? compareDigits(x, y) : xn !== yn ? (xn ? 1 : -1) : compareStrings(x, y);
    if (r !== 0) return r;
  }
  return a.length - b.length;
}

/**
 * packaging's pre-release key: a real pre-release by (letter, number); a dev release with neither
 * pre nor post sorts below every pre-release (-1); anything else above (+1). 0 means "compare the
 * pre-release itself".
 */
function preRank(v: Pep440Version): number {
  if (v.pre) return 0;
  return v.post === undefined && v.dev !== undefined ? -1 : 1;
}

/**
 * An optional number segment: `missing` is where an absent segment sorts (post: -1, below every
 * post-release; dev: +1, above every dev release). Written out rather than with wrapper objects:
 * matching compares versions millions of times.
 */
function cmpOptional(a: string | undefined, b: string | undefined, missing: number): number {
  if (a === undefined) return b === undefined ? 0 : missing;
  if (b === undefined) return -missing;
  return compareDigits(a, b);
}

export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  let r = compareDigits(a.epoch, b.epoch) || cmpRelease(a.release, b.release);
  if (r !== 0) return r;
  const ra = preRank(a);
  const rb = preRank(b);
  if (ra !== 0 || rb !== 0) r = ra - rb;
  else r = compareStrings(a.pre!.letter, b.pre!.letter) || compareDigits(a.pre!.n, b.pre!.n);
  if (r !== 0) return r;
  r = cmpOptional(a.post, b.post, -1) || cmpOptional(a.dev, b.dev, 1);
  if (r !== 0) return r;
  if (a.local === undefined) return b.local === undefined ? 0 : -1;
  if (b.local === undefined) return 1;
  return cmpLocal(a.local, b.local);
}

/** Digits without leading zeros, as `compareDigits` sees them. */
function digits(d: string): string {
  return d.replace(/^0+(?=[0-9])/, '');
}

/**
 * A canonical text equal for two versions exactly when `comparePep440` calls them equal (release
 * trailing zeros are already gone after parsing; numbers lose their leading zeros).
 */
export function pep440Key(v: Pep440Version): string {
  let k = `${digits(v.epoch)}!${v.release.map(digits).join('.')}`;
  if (v.pre) k += `${v.pre.letter}${digits(v.pre.n)}`;
  if (v.post !== undefined) k += `.post${digits(v.post)}`;
  if (v.dev !== undefined) k += `.dev${digits(v.dev)}`;
  if (v.local) k += `+${v.local.map((s) => (NUMERIC.test(s) ? digits(s) : s)).join('.')}`;
  return k;
}

export const pypiScheme = defineScheme('pep440', parsePep440, comparePep440, pep440Key);

/** PEP 503 project name normalisation. */
export function normalizePypiName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}
