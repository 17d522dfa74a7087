import { defineScheme } from '../scheme.js';

/**
 * apk-tools version grammar: digit{.digit}...{letter}{_suffix{#}}...{~hash}{-r#}. Token kinds are
 * ordered as apk-tools orders them: when one version ends early, the kinds decide.
 */
const enum Kind {
  InitialDigit = 0,
  Digit = 1,
  Letter = 2,
  Suffix = 3,
  SuffixNo = 4,
  CommitHash = 5,
  RevisionNo = 6,
  End = 7,
}

/** Suffix weights: pre-release suffixes sort below NONE (5), post-release ones above. */
const SUFFIX_NONE = 5;
const SUFFIXES: Record<string, number> = {
  alpha: 1,
  beta: 2,
  pre: 3,
  rc: 4,
  cvs: 6,
  svn: 7,
  git: 8,
  hg: 9,
  p: 10,
};

interface Token {
  kind: Kind;
  /** the token's text (digits, letter, suffix name or hash) */
  text: string;
  /** digits as apk-tools' uint64 (wrapping), for numeric kinds */
  number: bigint;
  suffix: number;
}

const U64 = (digits: string): bigint => BigInt.asUintN(64, BigInt(digits));

/** Splits a version into tokens; undefined when apk-tools' validator would reject it. */
export function tokenizeApkVersion(v: string): Token[] | undefined {
  const out: Token[] = [];
  let i = 0;
  const digits = (kind: Kind): boolean => {
    const start = i;
    while (i < v.length && v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) i++;
    if (i === start) return false;
    const text = v.slice(start, i);
    out.push({ kind, text, number: U64(text), suffix: 0 });
    return true;
  };
  if (!digits(Kind.InitialDigit)) return undefined;
  while (i < v.length) {
    const prev = out[out.length - 1]!.kind;
    const c = v[i]!;
    if (c >= 'a' && c <= 'z') {
      if (prev > Kind.Digit) return undefined;
      out.push({ kind: Kind.Letter, text: c, number: 0n, suffix: 0 });
      i++;
    } else if (c === '.' || (c >= '0' && c <= '9')) {
      if (c === '.') {
        if (prev > Kind.Digit) return undefined;
        i++;
      }
      let kind: Kind;
      if (prev === Kind.InitialDigit || prev === Kind.Digit) kind = Kind.Digit;
      else if (prev === Kind.Suffix) kind = Kind.SuffixNo;
      else return undefined;
      if (!digits(kind)) return undefined;
    } else if (c === '_') {
      if (prev > Kind.SuffixNo) return undefined;
      i++;
      const start = i;
      while (i < v.length && v[i]! >= 'a' && v[i]! <= 'z') i++;
      const text = v.slice(start, i);
      const suffix = SUFFIXES[text];
      if (suffix === undefined) return undefined;
      out.push({ kind: Kind.Suffix, text, number: 0n, suffix });
    } else if (c === '~') {
      if (prev >= Kind.CommitHash) return undefined;
      i++;
      const start = i;
      while (i < v.length && /[0-9a-f]/.test(v[i]!)) i++;
      if (i === start) return undefined;
      out.push({ kind: Kind.CommitHash, text: v.slice(start, i), number: 0n, suffix: 0 });
    } else if (c === '-') {
      if (prev >= Kind.RevisionNo || v[i + 1] !== 'r') return undefined;
      i += 2;
      if (!digits(Kind.RevisionNo)) return undefined;
    } else {
      return undefined;
    }
  }
  return out;
}

/** apk_blob_sort: bytewise over the common length, then the shorter first. */
function blobSort(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tokenCompare(a: Token, b: Token): number {
  switch (a.kind) {
    case Kind.Digit:
      // apk-tools (like Gentoo) compares fractional parts with a leading zero as strings.
      if (a.text[0] === '0' || b.text[0] === '0') return blobSort(a.text, b.text);
      return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
    case Kind.InitialDigit:
    case Kind.SuffixNo:
    case Kind.RevisionNo:
      return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
    case Kind.Letter:
      return blobSort(a.text, b.text);
    case Kind.Suffix:
      return a.suffix - b.suffix;
    default:
      return blobSort(a.text, b.text);
  }
}

export function compareApkTokens(a: Token[], b: Token[]): number {
  let i = 0;
  for (; i < a.length && i < b.length && a[i]!.kind === b[i]!.kind; i++) {
    const r = tokenCompare(a[i]!, b[i]!);
    if (r !== 0) return r;
  }
  const ta = a[i];
  const tb = b[i];
  const ka = ta ? ta.kind : Kind.End;
  const kb = tb ? tb.kind : Kind.End;
  if (ka === kb) return 0;
  // The longer version wins unless what follows is a pre-release suffix.
  if (ta && ka === Kind.Suffix && ta.suffix < SUFFIX_NONE) return -1;
  if (tb && kb === Kind.Suffix && tb.suffix < SUFFIX_NONE) return 1;
  return ka > kb ? -1 : 1;
}

/** apk-tools ordering, used for the OSV ecosystems Alpine, Wolfi and Chainguard. */
export const alpineScheme = defineScheme('apk', tokenizeApkVersion, compareApkTokens);
