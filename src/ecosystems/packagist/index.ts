export { packagistScheme, normalizeComposerVersion } from './version.js';
export { phpVersionCompare } from './php-version-compare.js';
export { composerPurl, parseComposerLock, parseInstalledJson } from './parse.js';
