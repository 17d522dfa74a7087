export { nugetScheme, parseNuGetVersion, type NuGetVersion } from './version.js';
export { nugetPurl, parseDepsJson, parsePackagesLockJson } from './parse.js';
