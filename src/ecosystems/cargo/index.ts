export { cargoScheme, parseCargoVersion } from './version.js';
export { cargoPurl, parseCargoLock } from './parse.js';
export {
  parseAuditableData,
  readAuditableSection,
  MAX_AUDIT_DATA,
  type AuditableCrate,
} from './auditable.js';
