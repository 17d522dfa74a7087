import { anyCase, keyed } from '../patterns.js';
import type { SecretSpec } from '../types.js';

/**
 * Catch-all assignments of credential-like names. A value must look random (entropy gate), must
 * not be a reference (`${VAR}`, `os.environ[...]`, `<placeholder>`: the value class excludes
 * `$`, `{`, `(`, `<` and quotes) and gives way to any specific rule on the same secret.
 */
const VALUE = '[A-Za-z0-9!#%&*+./:=?@^_|~-]{8,200}';
const OWASP = 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html';

/**
 * The key names, as a `|`-separated regex source of words: matched in any case as a name of their
 * own (`DB_PASSWORD`, `api-key`) or capitalised at a camelCase hump (`dbPassword`, `genericToken`),
 * never inside a lower-case word (`broken` holds no `token`).
 */
function keyNames(words: string): string {
  const camel = words
    .split('|')
    .map((w) => `${w[0]!.toUpperCase()}${anyCase(w.slice(1))}`)
    .join('|');
  return `(?:(?<![A-Za-z0-9])(?:${anyCase(words)})|(?<=[a-z0-9])(?:${camel}))`;
}

function generic(id: string, title: string, words: string, keywords: string[], entropy: number): SecretSpec {
  const key = keyNames(words);
  return {
    id,
    title,
    severity: 'MEDIUM',
    // gitleaks' one generic rule covers keys, secrets, tokens and passwords
    aliases: id === 'authorization-header' ? [] : ['gitleaks:generic-api-key'],
    keywords,
    // the value must end where a literal ends: `pypi-AgE...<rest>` is a template, not a value
    regex: new RegExp(`${keyed(key, VALUE, '').source}(?=[\\s"'\`;,)}\\]]|\\\\[nrt]|$)`),
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
    'passwd|password|passphrase|pwd',
    ['passw', 'pwd', 'passphrase'],
    3,
  ),
  generic(
    'generic-secret',
    'Hard-coded secret',
    'client[_-]?secret|secret[_-]?key|app[_-]?secret|secret',
    ['secret'],
    3.5,
  ),
  generic(
    'generic-token',
    'Hard-coded token',
    'access[_-]?token|auth[_-]?token|api[_-]?token|bearer[_-]?token|refresh[_-]?token|token',
    ['token'],
    3.5,
  ),
  generic(
    'generic-api-key',
    'Hard-coded API key',
    'api[_-]?key|apikey|access[_-]?key|private[_-]?key',
    ['apikey', 'api_key', 'api-key', 'access_key', 'accesskey', 'access-key', 'private_key', 'private-key'],
    3.5,
  ),
  generic(
    'generic-credential',
    'Hard-coded credentials',
    'credentials?|creds|user[_-]?auth',
    ['credential', 'creds', 'user_auth', 'userauth', 'user-auth'],
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
