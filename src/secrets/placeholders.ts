import type { SecretSpec } from './types.js';

// words that mark a documented example or a template, never a live secret
const MARKERS = [
  'example',
  'xxxx',
  '****',
  // a value cut short in documentation (`ops_eyJzaWdu...`)
  '...',
  'placeholder',
  'changeme',
  'change_me',
  'change-me',
  'redacted',
  'your_',
  'your-',
  'yourtoken',
  'yourkey',
  'yourpassword',
  'dummy',
  'sample',
  'notreal',
  'not_real',
  'not-a-real',
  'fake',
  '${',
  '{{',
  '%(',
  '<',
  '>',
];

// whole values that are defaults or words, not credentials
const DEFAULTS = new Set([
  'password',
  'passw0rd',
  'passwd',
  'pass',
  'secret',
  'changeit',
  'admin',
  'root',
  'postgres',
  'mysql',
  'guest',
  'test',
  'user',
  'username',
  'pwd',
  'mypassword',
  'dbpassword',
  'token',
  'null',
  'none',
  'undefined',
]);

// values printed in vendors' own documentation as examples
const DOCUMENTED = new Set([
  '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11',
  'AKIAIOSFODNN7EXAMPLE',
  // the OAuth 2.0 / OpenID Connect specs' example client credentials in Basic form
  // (s6BhdRkqt3:gX1fBat3bV, s6BhdRkqt3:7Fjfp0ZBr1KtDRbnfVdmIw)
  'czZCaGRSa3F0MzpnWDFmQmF0M2JW',
  'czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
]);

/** True when the secret is a documented example, a template or a default, not a credential. */
export function isPlaceholder(secret: string, spec: SecretSpec): boolean {
  const low = secret.toLowerCase();
  if (DEFAULTS.has(low) || DOCUMENTED.has(secret)) return true;
  for (const m of MARKERS) if (low.includes(m)) return true;
  if (low.startsWith('$') || low.startsWith('%')) return true;
  // key material and some formats hold runs and repeats (OpenSSH's AAAAAAAA, Slack's team ids)
  if (spec.category === 'keys' || spec.allowRuns) return false;
  // `AKIAXXXXXXXXXXXXXXXX`, `0000000000`
  if (/(.)\1{5}/.test(secret)) return true;
  // A value in a vendor's own format is judged by that format (some vendors' documented sample
  // keys are `12345678-ABCD-...`); a generic rule has no format to go by, and a typed sequence is
  // how people fill in a value they do not have.
  if (!spec.generic) return false;
  // `123123123123`, `1234-1234-1234-`: a short unit typed again and again
  const rep = /(.{2,6})\1{2,}/.exec(secret);
  if (rep && rep[0].length >= 9) return true;
  return ascendingRun(secret) >= 7;
}

/** the longest run of characters each one code point above the last (`1234567`, `abcdefg`) */
function ascendingRun(s: string): number {
  let best = 1;
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    // `…7890…` counts on: `0` after `9` is the keyboard's order
    run = d === 1 || (s[i - 1] === '9' && s[i] === '0') ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

// a member access at the start (`r.tokenizeForms??!1` in minified code, `this.token`)
const DOTTED = /^[A-Za-z_$][A-Za-z0-9_$]*\.[A-Za-z_$][A-Za-z0-9_$]*(?:$|[^A-Za-z0-9_$])/;
const LETTERS_ONLY = /^[A-Za-z_-]+$/;
const NAMES_A_SECRET = /passw|secret|token|apikey|api_key/i;
const FILE_NAME =
  /^[\w.-]{1,150}\.(?:json|ya?ml|toml|txt|js|mjs|ts|py|rb|go|java|xml|pem|key|crt|cer|p12|pfx|jks|conf|cfg|ini|env|log|html?|csv|md|sh|gpg|asc|enc)$/i;

// test-mode and publishable keys are meant to be shared
const NOT_SECRET_PREFIXES = /^(?:[sr]k_test_|pk_(?:test|live)_|EZTK|shippo_test_|duffel_test_)/;

// an assignment whose key names something about a secret, not the secret (`PASSWORD_MIN_LENGTH`,
// `access_key_id`, `secret_name`, `token_url`)
const DESCRIPTIVE_KEY =
  /(?:_?ids?|name|file|path|url|uri|type|ttl|length|len|size|ref|env|var|count|min|max|format|mode|policy|header|field|prefix|hint|label|seconds|expiry|expires|encryption|algorithm|method|cipher|scheme|strength|required|enabled|dir)["'`]?[ \t]*(?:=|:=|:|=>)[ \t]*["'`]?$/i;

export function keyNamesNoSecret(before: string): boolean {
  return DESCRIPTIVE_KEY.test(before);
}

/**
 * Generic rules see code as well as configuration: a value that is a dotted reference
 * (`process.env.DB_PASSWORD`), a bare word or identifier (`PasswordType`, `getToken`), a path or a URL
 * is a reference to a secret, not one.
 */
export function looksLikeReference(value: string): boolean {
  if (NOT_SECRET_PREFIXES.test(value)) return true;
  // an expression: `!!node.flags`, `?NonNullable`, `&ctx`
  const bare = value.replace(/^[!?&*~^]+/, '');
  if (bare !== value && /^[A-Za-z_$][A-Za-z0-9_$.]*/.test(bare)) return true;
  // a name that says what it holds (`previousToken2`, `AuthenticationMD5Password`, `mySecretKey1`)
  if (/^[A-Za-z][A-Za-z0-9_]*$/.test(value) && NAMES_A_SECRET.test(value)) return true;
  // a list of choices in documentation or a default config: `true|false`, `md5|scram-sha-256`
  const choices = value.split('|');
  if (
    choices.length > 1 &&
    choices.every((c) => /^[A-Za-z][A-Za-z0-9_-]{0,30}$/.test(c)) &&
    choices.some((c) => /^[a-z]+$/.test(c))
  )
    return true;
  if (DOTTED.test(value) || LETTERS_ONLY.test(value)) return true;
  if (/^[A-Z0-9_]+$/.test(value) && /_/.test(value)) return true;
  if (value.startsWith('/') || value.startsWith('./') || value.startsWith('../')) return true;
  // a file name (`path.join(dir, 'secret', 'a1b2c3d4.json')`, `password: db-pass.txt`)
  if (FILE_NAME.test(value)) return true;
  if (/^[a-z][a-z0-9+.-]{1,20}:\/\//i.test(value)) return true;
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  return classes < 2;
}
