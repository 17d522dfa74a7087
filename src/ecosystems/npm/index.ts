export { npmScheme, parseNpmVersion } from './version.js';
export {
  isValidNpmName,
  nameFromLockPath,
  npmPurl,
  parseInstalledPackageJson,
  parsePackageLock,
  type NpmPackage,
  type NpmParseResult,
} from './parse.js';
export { parseYarnLock, isBerryLock, splitSpec } from './yarn.js';
export { parsePnpmLock, parsePnpmKey } from './pnpm.js';
