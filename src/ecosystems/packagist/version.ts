import { compareStrings, defineScheme } from '../scheme.js';
import { phpVersionCompare } from './php-version-compare.js';

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)${MODIFIER}$`, 'i');
const BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/i;

function expandStability(s: string): string {
  const l = s.toLowerCase();
  if (l === 'a') return 'alpha';
  if (l === 'b') return 'beta';
  if (l === 'p' || l === 'pl') return 'patch';
  if (l === 'rc') return 'RC';
  return l;
}

function withModifiers(version: string, m: RegExpExecArray, index: number): string {
  let out = version;
  const stability = m[index];
  if (stability) {
    if (stability === 'stable') return out;
    const n = m[index + 1];
    out += `-${expandStability(stability)}${n ? n.replace(/^[.-]+/, '') : ''}`;
  }
  if (m[index + 2]) out += '-dev';
  return out;
}

/** Composer's numeric branch names (`1.x-dev`), or undefined for other branches. */
function normalizeBranch(name: string): string | undefined {
  const m = BRANCH.exec(name.trim());
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
  let v = input.trim();
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(v);
  if (alias) v = alias[1]!;
  const flag = /@(?:stable|RC|beta|alpha|dev)$/i.exec(v);
  if (flag) v = v.slice(0, v.length - flag[0].length);
  if (v === 'master' || v === 'trunk' || v === 'default') v = `dev-${v}`;
  if (v.toLowerCase().startsWith('dev-')) return v.length > 4 ? `dev-${v.slice(4)}` : undefined;
  const build = /^([^,\s+]+)\+\S+$/.exec(v);
  if (build) v = build[1]!;
  let m = CLASSICAL.exec(v);
  if (m) return withModifiers(`${m[1]}${m[2] || '.0'}${m[3] || '.0'}${m[4] || '.0'}`, m, 5);
  m = DATE.exec(v);
  if (m) return withModifiers(m[1]!.replace(/\D/g, '.'), m, 2);
  const dev = /^(.*?)[.-]?dev$/i.exec(v);
  if (dev) return normalizeBranch(dev[1]!);
  return undefined;
}

function parse(v: string): string | undefined {
  if ([...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return undefined;
  return normalizeComposerVersion(v);
}

/**
 * Composer's order: version_compare on normalised versions; a branch (`dev-*`) sorts below every
 * version, as Composer's Comparator has it. Two branches have no order in Composer; bulwark
 * orders them by name so that sorting stays total.
 */
export const packagistScheme = defineScheme('packagist', parse, (a, b) => {
  if (a.startsWith('dev-') && b.startsWith('dev-')) return compareStrings(a, b);
  return phpVersionCompare(a, b);
});
