export { rubygemsScheme, parseGemVersion } from './version.js';
export { gemPurl, parseGemfileLock, parseGemspec } from './parse.js';
