import semver from 'semver';
import { BulwarkError } from '../core/errors.js';
import type { VersionScheme } from '../ecosystems/types.js';

/**
 * OSV `SEMVER` ranges are always ordered as SemVer 2.0, whatever the package's ecosystem (Go
 * writes them without the `v` its module versions carry, so a leading `v` is accepted).
 */
function clean(v: string): string | null {
  return semver.valid(v.startsWith('v') ? v.slice(1) : v);
}

export const semverScheme: VersionScheme = {
  id: 'semver',
  isValid: (v) => clean(v) !== null,
  compare(a, b) {
    const x = clean(a);
    const y = clean(b);
    if (x === null || y === null) {
      throw new BulwarkError('MALFORMED_INPUT', 'not a SemVer 2.0 version', {
        input: x === null ? a : b,
      });
    }
    return semver.compare(x, y);
  },
};
