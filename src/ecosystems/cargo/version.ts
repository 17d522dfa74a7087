import semver from 'semver';
import { defineScheme } from '../scheme.js';

/**
 * crates.io versions are strict SemVer 2.0 (the Rust `semver` crate): no `v` prefix, no leading
 * zeros, no surrounding spaces. Precedence follows SemVer 2.0, so build metadata is ignored, as
 * OSV's SEMVER ranges require.
 */
export function parseCargoVersion(v: string): semver.SemVer | undefined {
  if (!/^[0-9]/.test(v) || /\s/.test(v)) return undefined;
  return semver.parse(v) ?? undefined;
}

export const cargoScheme = defineScheme('cargo', parseCargoVersion, (a, b) => a.compare(b));
