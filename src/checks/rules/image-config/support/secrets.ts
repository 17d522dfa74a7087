/**
 * Credential-looking names and values in image metadata. Names match on a suffix so `PASSWORD_FILE`
 * (a path) and `KEY_ID` stay out; `PWD` alone is the shell's working directory.
 */
const SECRET_NAME =
  /_PWD$|(^|[_.-])(PASSWORD|PASSWD|PASS|SECRET|SECRET_KEY|TOKEN|API[_-]?KEY|ACCESS[_-]?KEY|PRIVATE[_-]?KEY|CREDENTIALS?|AUTH|AUTH[_-]TOKEN|CLIENT_SECRET)$/i;

/** Values shaped like well-known credentials whatever they are called (anchored, linear). */
const SECRET_VALUE =
  /^(?:AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|glpat-[A-Za-z0-9_-]{20,}|xox[baprs]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36}|-----BEGIN [A-Z ]*PRIVATE KEY-----)/;

/** Values that are not secrets themselves: references, placeholders, booleans. */
function placeholder(value: string): boolean {
  return (
    value === '' ||
    value.startsWith('$') ||
    value.startsWith('/') ||
    /^(true|false|yes|no|none|null|changeme|<[^>]*>|\*+|x+)$/i.test(value)
  );
}

export function secretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Why `name=value` looks like a credential, or undefined. */
export function secretKind(name: string, value: string): 'value' | 'name' | undefined {
  if (SECRET_VALUE.test(value)) return 'value';
  if (secretName(name) && !placeholder(value)) return 'name';
  return undefined;
}

/** What reports show instead of a value: never any of its characters. */
export const REDACTED = '****';

/** Credentials inside a URL (`scheme://user:pass@host`): the user name, or undefined. */
export function urlCredentials(text: string): string[] {
  const out: string[] = [];
  // user and password exclude the characters that end them, so matching stays linear
  for (const m of text.matchAll(/[a-z][a-z0-9+.-]{0,20}:\/\/([^\s:/@'"]{1,256}):([^\s/@'"]{1,256})@/gi)) {
    if (!placeholder(m[2]!)) out.push(m[1]!);
  }
  return out;
}
