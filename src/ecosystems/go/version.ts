import { compareDigits, compareStrings, defineScheme } from '../scheme.js';

/** A Go module version as golang.org/x/mod/semver parses it. */
export interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  prerelease: string[];
  build: string;
}

const NUM = /^(0|[1-9][0-9]*)$/;
const IDENT = /^[0-9A-Za-z-]+$/;

/**
 * Accepts `v1.2.3` and the prefix-less `1.2.3` that OSV writes, the shorthands `v1` and `v1.2`
 * (as x/mod/semver does, without pre-release or build), pre-releases (so pseudo-versions such as
 * `v0.0.0-20210101000000-abcdef123456` order as they do in Go) and build metadata such as
 * `+incompatible`, which is ignored for ordering.
 */
export function parseGoVersion(v: string): GoVersion | undefined {
  const s = v.startsWith('v') ? v.slice(1) : v;
  const m = /^([0-9]+)(?:\.([0-9]+)(?:\.([0-9]+)(?:-([^+]*))?(?:\+(.*))?)?)?$/.exec(s);
  if (!m) return undefined;
  const [, major, minor, patch, pre, build] = m;
  if (!NUM.test(major!) || (minor !== undefined && !NUM.test(minor))) return undefined;
  if (patch !== undefined && !NUM.test(patch)) return undefined;
  const prerelease = pre === undefined ? [] : pre.split('.');
  for (const p of prerelease) {
    if (!IDENT.test(p)) return undefined;
    if (/^[0-9]+$/.test(p) && !NUM.test(p)) return undefined;
  }
  if (build !== undefined && !build.split('.').every((p) => IDENT.test(p))) return undefined;
  return { major: major!, minor: minor ?? '0', patch: patch ?? '0', prerelease, build: build ?? '' };
}

function compareIdent(a: string, b: string): number {
  const an = /^[0-9]+$/.test(a);
  const bn = /^[0-9]+$/.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an !== bn) return an ? -1 : 1;
  return compareStrings(a, b);
}

export function compareGoVersions(a: GoVersion, b: GoVersion): number {
  const r =
    compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (r !== 0) return r;
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  for (let i = 0; i < a.prerelease.length && i < b.prerelease.length; i++) {
    const c = compareIdent(a.prerelease[i]!, b.prerelease[i]!);
    if (c !== 0) return c;
  }
  return a.prerelease.length - b.prerelease.length;
}

export const goScheme = defineScheme('go', parseGoVersion, compareGoVersions);
