export { rpmScheme, parseRpmEvr, rpmvercmp, type RpmEvr } from './version.js';
