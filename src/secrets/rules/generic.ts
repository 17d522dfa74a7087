import { assignment } from '../patterns.js';
import type { SecretSpec } from '../types.js';

/**
 * Catch-all assignments of credential-like names. A value must look random (entropy gate), must
 * not be a reference (`${VAR}`, `os.environ[...]`, `<placeholder>`: the value class excludes
 * `$`, `{`, `(`, `<` and quotes) and gives way to any specific rule on the same secret.
 */
const VALUE = '[A-Za-z0-9!#%&*+./:=?@^_|~-]{8,200}';
const OWASP = 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html';

function generic(id: string, title: string, key: string, keywords: string[], entropy: number): SecretSpec {
  return {
    id,
    title,
    severity: 'MEDIUM',
    aliases: id === 'generic-api-key' ? ['gitleaks:generic-api-key'] : [],
    keywords,
    // the value must end where a literal ends: `pypi-AgE...<rest>` is a template, not a value
    regex: new RegExp(`${assignment(key, VALUE).source}(?=[\\s"'\`;,)}\\]]|$)`, 'i'),
    secretGroup: 1,
    entropy,
    generic: true,
    category: 'generic',
    references: [OWASP],
  };
}

export const genericRules: SecretSpec[] = [
  generic(
    'generic-password',
    'Hard-coded password',
    '(?<![A-Za-z0-9])(?:passwd|password|passphrase|pwd)',
    ['passw', 'pwd', 'passphrase'],
    3,
  ),
  generic(
    'generic-secret',
    'Hard-coded secret',
    '(?<![A-Za-z0-9])(?:client_?secret|secret_?key|app_?secret|secret)',
    ['secret'],
    3.5,
  ),
  generic(
    'generic-token',
    'Hard-coded token',
    '(?<![A-Za-z0-9])(?:access_?token|auth_?token|api_?token|bearer_?token|refresh_?token|token)',
    ['token'],
    3.5,
  ),
  generic(
    'generic-api-key',
    'Hard-coded API key',
    '(?<![A-Za-z0-9])(?:api_?key|apikey|access_?key|private_?key)',
    ['apikey', 'api_key', 'api-key', 'access_key', 'accesskey', 'private_key'],
    3.5,
  ),
  {
    id: 'authorization-header',
    title: 'Credentials in an Authorization header',
    severity: 'MEDIUM',
    aliases: [],
    keywords: ['authorization'],
    regex:
      /Authorization["']?[ \t]{0,5}[:=][ \t]{0,5}["']?(?:Basic|Bearer|token)[ \t]{1,5}([A-Za-z0-9+/._~-]{16,1000}={0,2})/i,
    secretGroup: 1,
    entropy: 3.5,
    generic: true,
    category: 'generic',
    references: ['https://www.rfc-editor.org/rfc/rfc9110#field.authorization'],
  },
];
