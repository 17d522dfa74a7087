export { cargoScheme, parseCargoVersion } from './version.js';
export {
  parseAuditableData,
  readAuditableSection,
  MAX_AUDIT_DATA,
  type AuditableCrate,
} from './auditable.js';
