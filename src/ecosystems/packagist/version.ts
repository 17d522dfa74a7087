import { compareStrings, defineScheme } from '../scheme.js';
import { phpVersionCompare } from './php-version-compare.js';

// Composer's patterns use possessive quantifiers (`\d++`, `*+`); JavaScript has none, so atomic
// groups are emulated with a capturing lookahead and a backreference. Without that, a long run of
// digits after a stability word backtracks exponentially.
const MODIFIER =
  '[._-]?(?:(?<stability>stable|beta|b|RC|alpha|a|patch|pl|p)(?=(?<num>(?:[.-]?\\d+)*))\\k<num>)?(?<dev>[.-]?dev)?';
const atomicPart = (n: number): string => `(?<p${n}>\\.(?=(?<d${n}>\\d+))\\k<d${n}>)?`;
const CLASSICAL = new RegExp(
  `^v?(?<major>\\d{1,5})(?![0-9])${atomicPart(2)}${atomicPart(3)}${atomicPart(4)}${MODIFIER}$`,
  'i',
);
const DATE = new RegExp(`^v?(?<date>\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${MODIFIER}$`, 'i');
/** PHP's trim(): space, tab, newline, carriage return, NUL and vertical tab (no form feed, no U+00A0). */
function phpTrim(s: string): string {
  // eslint-disable-next-line no-control-regex -- PHP's trim set is control characters
  return s.replace(/^[ \t\n\r\0\x0b]+|[ \t\n\r\0\x0b]+$/g, '');
}

const BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

function expandStability(s: string): string {
  const l = s.toLowerCase();
  if (l === 'a') return 'alpha';
  if (l === 'b') return 'beta';
  if (l === 'p' || l === 'pl') return 'patch';
  if (l === 'rc') return 'RC';
  return l;
}

function withModifiers(version: string, g: Record<string, string | undefined>): string {
  let out = version;
  const stability = g.stability;
  if (stability) {
    if (stability === 'stable') return out;
    out += `-${expandStability(stability)}${g.num ? g.num.replace(/^[.-]+/, '') : ''}`;
  }
  if (g.dev) out += '-dev';
  return out;
}

/** Composer's numeric branch names (`1.x-dev`), or undefined for other branches. */
function normalizeBranch(name: string): string | undefined {
  const m = BRANCH.exec(phpTrim(name));
  if (!m) return undefined;
  let v = '';
  for (let i = 1; i < 5; i++) v += m[i] !== undefined ? m[i]!.replace(/[*X]/g, 'x') : '.x';
  return `${v.replace(/x/g, '9999999')}-dev`;
}

/**
 * Composer's VersionParser::normalize: `1.2` -> `1.2.0.0`, `v1.0-beta2` -> `1.0.0.0-beta2`,
 * `1.x-dev` -> `1.9999999.9999999.9999999-dev`, `dev-main` stays a branch. Undefined when
 * Composer would reject the string.
 */
export function normalizeComposerVersion(input: string): string | undefined {
  let v = phpTrim(input);
  // PCRE's \s (Composer's patterns are not Unicode): ASCII whitespace only, unlike JavaScript's.
  const alias = /^([^, \t\n\v\f\r]+) +as +([^, \t\n\v\f\r]+)$/.exec(v);
  if (alias) v = alias[1]!;
  const flag = /@(?:stable|RC|beta|alpha|dev)$/i.exec(v);
  if (flag) v = v.slice(0, v.length - flag[0].length);
  if (v === 'master' || v === 'trunk' || v === 'default') v = `dev-${v}`;
  // Composer keeps any branch name, the empty one too (`dev-`).
  if (v.toLowerCase().startsWith('dev-')) return `dev-${v.slice(4)}`;
  const build = /^([^, \t\n\v\f\r+]+)\+[^ \t\n\v\f\r]+$/.exec(v);
  if (build) v = build[1]!;
  const c = CLASSICAL.exec(v)?.groups;
  if (c) return withModifiers(`${c.major}${c.p2 || '.0'}${c.p3 || '.0'}${c.p4 || '.0'}`, c);
  const d = DATE.exec(v)?.groups;
  if (d) return withModifiers(d.date!.replace(/\D/g, '.'), d);
  const dev = /^(.*?)[.-]?dev$/i.exec(v);
  if (dev) return normalizeBranch(dev[1]!);
  return undefined;
}

/**
 * Composer's order: version_compare on normalised versions; a branch (`dev-*`) sorts below every
 * version, as Composer's Comparator has it. Two branches have no order in Composer; bulwark
 * orders them by name so that sorting stays total.
 */
export const packagistScheme = defineScheme('packagist', normalizeComposerVersion, (a, b) => {
  if (a.startsWith('dev-') && b.startsWith('dev-')) return compareStrings(a, b);
  return phpVersionCompare(a, b);
});
