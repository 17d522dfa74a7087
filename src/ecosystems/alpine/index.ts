export { alpineScheme, tokenizeApkVersion } from './version.js';
