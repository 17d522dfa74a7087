import { keyed } from '../patterns.js';
import type { SecretSpec } from '../types.js';

/**
 * Catch-all assignments of credential-like names. A value must look random (entropy gate), must
 * not be a reference (`${VAR}`, `os.environ[...]`, `<placeholder>`: the value class excludes
 * `$`, `{`, `(`, `<` and quotes) and gives way to any specific rule on the same secret.
 */
const VALUE = '[A-Za-z0-9!#%&*+./:=?@^_|~-]{8,200}';
const OWASP = 'https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html';

/**
 * `words` is a `|`-separated regex source of key names, matched case-insensitively. Where a name
 * may start is the scanner's check for generic rules (a name of its own, `DB_PASSWORD`, or a
 * capitalised camelCase hump, `dbPassword`; never inside a word, `bypassword`): the pattern stays
 * a plain case-insensitive literal that the regex engine finds fast.
 */
function generic(id: string, title: string, words: string, keywords: string[], entropy: number): SecretSpec {
  const key = `(?:${words})`;
  return {
    id,
    title,
    severity: 'MEDIUM',
    // gitleaks' one generic rule covers keys, secrets, tokens and passwords
    aliases: id === 'authorization-header' ? [] : ['gitleaks:generic-api-key'],
    keywords,
    // the value must end where a literal ends: `pypi-AgE...<rest>` is a template, not a value
    regex: new RegExp(`${keyed(key, VALUE, 'i', false).source}(?=[\\s"'\`;,)}\\]]|\\\\[nrt]|$)`, 'i'),
    secretGroup: 1,
    entropy,
    keyName: new RegExp(key, 'iy'),
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
