export { cargoScheme, parseCargoVersion } from './version.js';
