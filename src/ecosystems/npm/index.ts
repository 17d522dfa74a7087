export { npmScheme, parseNpmVersion } from './version.js';
