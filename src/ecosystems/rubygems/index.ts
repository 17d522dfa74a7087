export { rubygemsScheme, parseGemVersion } from './version.js';
