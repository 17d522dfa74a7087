/** A version scheme: exact ordering as the ecosystem's own tools define it. */
export interface VersionScheme {
  /** scheme id: dpkg, apk, rpm, semver, pep440, maven, go, rubygems, cargo, packagist, nuget */
  id: string;
  /** true when `v` is a valid version in this scheme */
  isValid(v: string): boolean;
  /** -1, 0 or 1; throws BulwarkError('MALFORMED_INPUT') when either side is invalid */
  compare(a: string, b: string): number;
  /**
   * Optional: a text equal for two valid versions exactly when `compare` calls them equal
   * (undefined for an invalid version), so membership in a long version list is a string test.
   */
  canonical?(v: string): string | undefined;
}
