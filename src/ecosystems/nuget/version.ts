import { compareStrings, defineScheme } from '../scheme.js';

/** A NuGet version: four numbers, release labels (metadata is ignored for order). */
export interface NuGetVersion {
  parts: [number, number, number, number];
  labels: string[];
}

const INT32_MAX = 2147483647;

/** .NET's char.IsWhiteSpace (what String.Trim and NuGet's section parser skip). */
function isDotnetSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function dotnetTrim(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && isDotnetSpace(s.charCodeAt(i))) i++;
  while (j > i && isDotnetSpace(s.charCodeAt(j - 1))) j--;
  return s.slice(i, j);
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * NuGet's TryGetNormalizedVersion: up to four dot-separated Int32 sections, each with optional
 * whitespace around it (`1 . 2` is 1.2), leading zeros allowed, nothing after the fourth.
 */
function parseNumbers(s: string): [number, number, number, number] | undefined {
  const out: [number, number, number, number] = [0, 0, 0, 0];
  let end = 0;
  for (let k = 0; k < 4; k++) {
    if (end === s.length) continue;
    // leading whitespace, then digits
    while (end < s.length && isDotnetSpace(s.charCodeAt(end))) end++;
    if (end < s.length && !isDigit(s.charCodeAt(end))) return undefined;
    let n = 0;
    let digits = false;
    let done = false;
    for (; end < s.length; end++) {
      const c = s.charCodeAt(end);
      if (isDigit(c)) {
        digits = true;
        n = n * 10 + c - 48;
        if (n > INT32_MAX) return undefined;
      } else if (c === 46) {
        end++;
        if (end === s.length) return undefined;
        done = true;
        break;
      } else if (isDotnetSpace(c)) break;
      else return undefined;
    }
    if (!digits) return undefined;
    if (end === s.length) done = true;
    if (!done) {
      for (; end < s.length; end++) {
        const c = s.charCodeAt(end);
        if (isDotnetSpace(c)) continue;
        if (c !== 46) return undefined;
        end++;
        if (end === s.length) return undefined;
        break;
      }
    }
    out[k] = n;
  }
  return end === s.length ? out : undefined;
}

const isLabelChar = (c: number): boolean =>
  isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;

/** NuGet's IsValidPart: non-empty `[0-9A-Za-z-]`, and (for labels) no leading zero in a number. */
function validPart(s: string, allowLeadingZeros: boolean): boolean {
  if (s.length === 0) return false;
  if (!allowLeadingZeros && s.length > 1 && s[0] === '0' && /^[0-9]+$/.test(s)) return false;
  for (let i = 0; i < s.length; i++) if (!isLabelChar(s.charCodeAt(i))) return false;
  return true;
}

/**
 * NuGet.Versioning's NuGetVersion.TryParse, step by step: String.Trim (the .NET whitespace set),
 * ParseSections (the first `-` or `+` ends the numbers, a `-` or `+` as the last character stays
 * in the part before it and so fails it), the numeric sections, then the labels and metadata.
 */
export function parseNuGetVersion(v: string): NuGetVersion | undefined {
  const value = dotnetTrim(v);
  let versionString: string | undefined;
  let labels: string[] | undefined;
  let metadata: string | undefined;
  let dashPos = -1;
  let plusPos = -1;
  for (let i = 0; i < value.length; i++) {
    const end = i === value.length - 1;
    const c = value[i];
    if (dashPos < 0) {
      if (end || c === '-' || c === '+') {
        versionString = value.slice(0, i + (end ? 1 : 0));
        dashPos = i;
        if (c === '+') plusPos = i;
      }
    } else if (plusPos < 0) {
      if (end || c === '+') {
        labels = value.slice(dashPos + 1, i + (end ? 1 : 0)).split('.');
        plusPos = i;
      }
    } else if (end) {
      metadata = value.slice(plusPos + 1, i + 1);
    }
  }
  if (!versionString) return undefined;
  const parts = parseNumbers(versionString);
  if (!parts) return undefined;
  if (labels && !labels.every((l) => validPart(l, false))) return undefined;
  if (metadata !== undefined && !metadata.split('.').every((m) => validPart(m, true))) return undefined;
  return { parts, labels: labels ?? [] };
}

/** .NET's int.TryParse on a label (labels hold only `[0-9A-Za-z-]`): an optional `-`, digits, Int32. */
function labelNumber(s: string): number | undefined {
  if (!/^-?[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n > INT32_MAX || n < -INT32_MAX - 1 ? undefined : n;
}

/** StringComparer.OrdinalIgnoreCase on ASCII: code units after upper-casing. */
function upper(s: string): string {
  return s.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 32));
}

function compareLabel(a: string, b: string): number {
  const an = labelNumber(a);
  const bn = labelNumber(b);
  if (an !== undefined && bn !== undefined) return an - bn;
  if (an !== undefined || bn !== undefined) return an !== undefined ? -1 : 1;
  return compareStrings(upper(a), upper(b));
}

/** VersionComparer.Default: the four numbers, then a release sorts above its pre-releases, then labels. */
export function compareNuGetVersions(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    const r = a.parts[i]! - b.parts[i]!;
    if (r !== 0) return r;
  }
  if (a.labels.length === 0 || b.labels.length === 0) {
    return a.labels.length === b.labels.length ? 0 : a.labels.length === 0 ? 1 : -1;
  }
  for (let i = 0; i < a.labels.length && i < b.labels.length; i++) {
    const r = compareLabel(a.labels[i]!, b.labels[i]!);
    if (r !== 0) return r;
  }
  return a.labels.length - b.labels.length;
}

export const nugetScheme = defineScheme('nuget', parseNuGetVersion, compareNuGetVersions);
