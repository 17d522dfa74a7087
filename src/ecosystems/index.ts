import { ECOSYSTEMS, SCHEMES, type EcosystemEntry } from './registry.js';
import { BulwarkError } from '../core/errors.js';
import type { VersionScheme } from './types.js';

export type { VersionScheme } from './types.js';
export { defineScheme, MAX_VERSION_LENGTH } from './scheme.js';

const byLowerName = new Map(Object.keys(ECOSYSTEMS).map((k) => [k.toLowerCase(), k]));

/**
 * The OSV base name of a possibly release-qualified ecosystem (`Debian:12` -> `Debian`,
 * `Ubuntu:22.04:LTS` -> `Ubuntu`, `Alpine:v3.19` -> `Alpine`). Known names come back in OSV's
 * spelling whatever the case given; unknown ones are returned as written.
 */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  const base = (colon >= 0 ? ecosystem.slice(0, colon) : ecosystem).trim();
  return byLowerName.get(base.toLowerCase()) ?? base;
}

function entry(ecosystem: string): EcosystemEntry | undefined {
  const base = ecosystemBase(ecosystem);
  return Object.hasOwn(ECOSYSTEMS, base) ? ECOSYSTEMS[base] : undefined;
}

/** The version scheme of an ecosystem (release-qualified names accepted), or undefined. */
export function versionScheme(ecosystem: string): VersionScheme | undefined {
  const e = entry(ecosystem);
  return e ? SCHEMES[e.family] : undefined;
}

/**
 * -1, 0 or 1. Throws BulwarkError UNSUPPORTED for an ecosystem without a scheme and
 * MALFORMED_INPUT when either version is invalid in it.
 */
export function compareVersions(ecosystem: string, a: string, b: string): number {
  const scheme = versionScheme(ecosystem);
  if (!scheme)
    throw new BulwarkError('UNSUPPORTED', 'no version scheme for this ecosystem', { input: ecosystem });
  return scheme.compare(a, b);
}

/** A package name made comparable within its ecosystem (PEP 503 for PyPI, case folding where names are case-insensitive). */
export function normalizePackageName(ecosystem: string, name: string): string {
  const e = entry(ecosystem);
  return e?.normalizeName ? e.normalizeName(name) : name;
}

/**
 * Names `normalizePackageName`'s behaviour: databases record it, and an update reuses unchanged
 * feeds only from a database built with the same id. Bump it whenever normalisation changes.
 */
export const NORMALIZER_ID = 'bulwark-ecosystems-1';

/** OSV ecosystem base names bulwark can match, sorted. */
export function supportedEcosystems(): string[] {
  return Object.keys(ECOSYSTEMS);
}

/** package-url type for an ecosystem (deb, apk, rpm, npm, pypi, maven, golang, gem, cargo, composer, nuget). */
export function purlType(ecosystem: string): string | undefined {
  return entry(ecosystem)?.purl;
}
