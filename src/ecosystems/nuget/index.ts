export { nugetScheme, parseNuGetVersion, type NuGetVersion } from './version.js';
