import { compareDigits, defineScheme, isAlphaCode, isDigitCode } from '../scheme.js';

/** A Debian version split as dpkg splits it: epoch at the first `:`, revision at the last `-`. */
export interface DebianVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

const EPOCH_MAX = 2147483647;
const UPSTREAM_CHARS = /^[0-9][A-Za-z0-9.+~:-]*$/;
const REVISION_CHARS = /^[A-Za-z0-9.+~]+$/;

/** Parses as dpkg's parseversion does, treating its warnings (bad characters) as errors too. */
export function parseDebianVersion(v: string): DebianVersion | undefined {
  // dpkg strips only spaces and tabs (c_isblank) around a version: a form feed, a newline or a
  // no-break space stays and is a bad character.
  const s = v.replace(/^[ \t]+|[ \t]+$/g, '');
  if (s === '' || /\s/.test(s)) return undefined;
  let epoch = '0';
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    epoch = s.slice(0, colon);
    rest = s.slice(colon + 1);
    if (!/^[0-9]+$/.test(epoch) || Number(epoch) > EPOCH_MAX) return undefined;
  }
  let upstream = rest;
  let revision = '';
  const hyphen = rest.lastIndexOf('-');
  if (hyphen >= 0) {
    upstream = rest.slice(0, hyphen);
    revision = rest.slice(hyphen + 1);
    if (revision === '' || !REVISION_CHARS.test(revision)) return undefined;
  }
  // A colon can only reach the upstream part after an epoch, as dpkg splits at the first one.
  if (!UPSTREAM_CHARS.test(upstream)) return undefined;
  return { epoch, upstream, revision };
}

/** dpkg's character weight: `~` before the end, the end before letters, letters before the rest. */
function order(c: number): number {
  if (Number.isNaN(c)) return 0;
  if (isDigitCode(c)) return 0;
  if (isAlphaCode(c)) return c;
  if (c === 126) return -1;
  return c + 256;
}

/** dpkg's verrevcmp: alternating non-digit and digit runs, digits compared as numbers. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (
      (i < a.length && !isDigitCode(a.charCodeAt(i))) ||
      (j < b.length && !isDigitCode(b.charCodeAt(j)))
    ) {
      const ac = order(i < a.length ? a.charCodeAt(i) : NaN);
      const bc = order(j < b.length ? b.charCodeAt(j) : NaN);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    const si = i;
    while (i < a.length && isDigitCode(a.charCodeAt(i))) i++;
    const sj = j;
    while (j < b.length && isDigitCode(b.charCodeAt(j))) j++;
    const d = compareDigits(a.slice(si, i), b.slice(sj, j));
    if (d !== 0) return d;
  }
  return 0;
}

export function compareDebianVersions(a: DebianVersion, b: DebianVersion): number {
  return (
    compareDigits(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision)
  );
}

/** dpkg ordering, used for the OSV ecosystems Debian and Ubuntu. */
export const debianScheme = defineScheme('dpkg', parseDebianVersion, compareDebianVersions);
