import semver from 'semver';
import { defineScheme } from '../ecosystems/index.js';

/**
 * OSV `SEMVER` ranges are always ordered as SemVer 2.0, whatever the package's ecosystem (Go
 * writes them without the `v` its module versions carry, so a leading `v` is accepted). Built on
 * defineScheme so each version string is parsed once per process.
 */
export const semverScheme = defineScheme(
  'semver',
  (v: string) => {
    const s = v.startsWith('v') ? v.slice(1) : v;
    return semver.valid(s) === null ? undefined : new semver.SemVer(s);
  },
  (a, b) => a.compare(b),
);
