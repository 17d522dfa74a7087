export { pypiScheme, parsePep440, normalizePypiName, type Pep440Version } from './version.js';
