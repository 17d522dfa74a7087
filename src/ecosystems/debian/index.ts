export { debianScheme, parseDebianVersion, verrevcmp, type DebianVersion } from './version.js';
