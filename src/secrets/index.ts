export { parseSecrets, secretMeta, secretReports, secretSpec, type SecretInput } from './family.js';
export { globToRegExp } from './glob.js';
export { entropy, redact } from './redact.js';
export {
  renderSecretsJson,
  renderSecretsSarif,
  renderSecretsTable,
  type SecretRenderOptions,
} from './render.js';
export { SECRET_RULES } from './rules/index.js';
export {
  DEFAULT_MAX_SECRET_FILE_BYTES,
  scanSecrets,
  SecretScanner,
  type SecretScanOptions,
  type SecretScanResult,
  type SuppressedSecretMatch,
} from './scan.js';
export type { SecretMatch, SecretSpec } from './types.js';
export {
  compareSecretFindings,
  DEFAULT_SKIP_DIRS,
  scanSecretPaths,
  toFinding,
  type SecretFinding,
  type SecretPathOptions,
  type SecretPathResult,
  type SuppressedSecretFinding,
} from './walk.js';
