import { compareDigits, compareStrings, defineScheme } from '../scheme.js';

/** A NuGet version: up to four numeric parts, release labels, metadata (ignored for order). */
export interface NuGetVersion {
  parts: [string, string, string, string];
  labels: string[];
}

const INT32_MAX = 2147483647;
const LABEL = /^[0-9A-Za-z-]+$/;

const isInt32 = (s: string): boolean => /^[0-9]+$/.test(s) && s.length <= 10 && Number(s) <= INT32_MAX;

/**
 * Parses as NuGet.Versioning's NuGetVersion.TryParse: the value is trimmed, 1 to 4 numeric parts
 * (leading zeros allowed, each an Int32), `-` labels without leading zeros in numeric labels,
 * `+` metadata.
 */
export function parseNuGetVersion(v: string): NuGetVersion | undefined {
  const s = v.trim();
  const plus = s.indexOf('+');
  const dash = s.indexOf('-');
  let core = s;
  let label: string | undefined;
  let meta: string | undefined;
  if (plus >= 0 && (dash < 0 || plus < dash)) {
    core = s.slice(0, plus);
    meta = s.slice(plus + 1);
  } else if (dash >= 0) {
    core = s.slice(0, dash);
    const rest = s.slice(dash + 1);
    const p = rest.indexOf('+');
    label = p >= 0 ? rest.slice(0, p) : rest;
    if (p >= 0) meta = rest.slice(p + 1);
  }
  const nums = core.split('.');
  if (nums.length < 1 || nums.length > 4 || !nums.every(isInt32)) return undefined;
  const labels = label === undefined ? [] : label.split('.');
  for (const l of labels) {
    if (!LABEL.test(l)) return undefined;
    if (/^[0-9]+$/.test(l) && l.length > 1 && l.startsWith('0')) return undefined;
  }
  if (meta !== undefined && !meta.split('.').every((m) => LABEL.test(m))) return undefined;
  const part = (i: number): string => nums[i] ?? '0';
  return { parts: [part(0), part(1), part(2), part(3)], labels };
}

function compareLabel(a: string, b: string): number {
  const an = isInt32(a);
  const bn = isInt32(b);
  if (an && bn) return compareDigits(a, b);
  if (an !== bn) return an ? -1 : 1;
  // StringComparer.OrdinalIgnoreCase compares the upper-cased UTF-16 units.
  return compareStrings(a.toUpperCase(), b.toUpperCase());
}

export function compareNuGetVersions(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    const r = compareDigits(a.parts[i]!, b.parts[i]!);
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
