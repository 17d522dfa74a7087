/**
 * How a database is built for this matcher: package names normalised per ecosystem, and the listed
 * versions each affected entry keeps in the matcher's copy. Every caller that builds a database
 * (`db update`, the bundled demo, benches, tests) passes these, so they are defined once.
 */
import { ecosystemBase, NORMALIZER_ID, normalizePackageName, versionScheme } from '../ecosystems/index.js';
import type { KeepListed, OsvAffected } from '../vulndb/index.js';
import { evaluateAffected } from './osv-range.js';

const noWarnings = (): void => {};

/**
 * The listed versions an entry's own ECOSYSTEM ranges do not already cover, as the matcher
 * evaluates them. A version equal (in the ecosystem's scheme) to a covered one is in the same
 * ranges, so dropping covered versions cannot change a match. Kept whole when the ecosystem has no
 * scheme; a version the scheme rejects is kept (it can still match as written). SEMVER ranges do
 * not count: they order versions by another scheme than the one listed versions are equal in.
 */
export const keepListedVersions: KeepListed = (entry: OsvAffected) => {
  const listed = entry.versions ?? [];
  const ecosystem = entry.package?.ecosystem;
  const ranges = (entry.ranges ?? []).filter((r) => r.type === 'ECOSYSTEM');
  if (!ecosystem || listed.length === 0 || ranges.length === 0) return listed;
  const scheme = versionScheme(ecosystemBase(ecosystem));
  if (!scheme) return listed;
  const rangesOnly: OsvAffected = { ranges };
  return listed.filter(
    (v) => !scheme.isValid(v) || !evaluateAffected(rangesOnly, v, scheme, '', noWarnings).affected,
  );
};

/** Names what the options below derive rows with; a database built otherwise is not reused. */
// `ratings-2`: entries and heads keep Ubuntu's priority beside severity labels (schema 3)
// `listed-2`: listed versions are pruned with the schemes as conformed to the reference tools
// (rpm, Maven, PEP 440, npm, NuGet, Composer orderings changed), so older builds are not reused
export const MATCH_DB_BUILD_ID = `${NORMALIZER_ID}+listed-2+ratings-2`;

/** The options every database build for this matcher passes to `updateDb` / `buildDbFromDirectory`. */
export const MATCH_DB_BUILD = {
  normalizeName: normalizePackageName,
  normalizerId: MATCH_DB_BUILD_ID,
  keepListed: keepListedVersions,
} as const;
