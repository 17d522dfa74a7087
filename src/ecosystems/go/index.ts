export { goScheme, parseGoVersion, type GoVersion } from './version.js';
