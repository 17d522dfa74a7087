import semver from 'semver';
import { defineScheme } from '../scheme.js';

/**
 * SemVer 2.0 exactly as node-semver reads a version with its default (strict) options: one
 * leading `v` and surrounding whitespace are accepted, build metadata is ignored for ordering.
 * Loose forms (`=1.2.3`, `v 1.2.3`, `1.2.3beta`) are invalid, as `semver.compare` rejects them;
 * npm writes clean versions into lockfiles and the registry.
 */
export function parseNpmVersion(v: string): semver.SemVer | undefined {
  return semver.parse(v) ?? undefined;
}

export const npmScheme = defineScheme('semver', parseNpmVersion, (a, b) => a.compare(b));
