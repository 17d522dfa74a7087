export { mavenScheme, parseMavenVersion } from './version.js';
