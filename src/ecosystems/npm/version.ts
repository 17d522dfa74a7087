import semver from 'semver';
import { defineScheme } from '../scheme.js';

/**
 * SemVer 2.0 as npm's `semver` package reads it: a leading `v` or `=` and surrounding spaces are
 * accepted (npm strips them), build metadata is ignored for ordering.
 */
export function parseNpmVersion(v: string): semver.SemVer | undefined {
  const s = v.trim().replace(/^[=v]+/, '');
  return semver.parse(s) ?? undefined;
}

export const npmScheme = defineScheme('semver', parseNpmVersion, (a, b) => a.compare(b));
