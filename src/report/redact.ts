import { REDACTED, secretKind } from '../checks/rules/image-config/support/secrets.js';

/**
 * A history `created_by` with credential values replaced by `****`: build arguments and ENV/ARG
 * pairs whose name or value looks like a credential, `curl -u user:pass`, `--password=...`, and
 * passwords in URLs. Reports travel to CI logs; the image config itself still holds the value.
 */
export function redactCreatedBy(text: string): string {
  if (text.length > 256 * 1024) return text.slice(0, 256 * 1024).replace(/\S+$/, '') + ' …';
  const parts = text.split(/(\s+)/);
  let prev = '';
  for (let i = 0; i < parts.length; i += 2) {
    const w = parts[i]!;
    let out = w;
    const eq = w.indexOf('=');
    if ((prev === '-u' || prev === '--user') && w.includes(':'))
      out = `${w.slice(0, w.indexOf(':'))}:${REDACTED}`;
    else if (/^-u[^:]+:./.test(w) || /^--user=[^:]+:./.test(w))
      out = `${w.slice(0, w.indexOf(':'))}:${REDACTED}`;
    else if (/^--(?:http-|ftp-)?password=./.test(w)) out = `${w.slice(0, eq)}=${REDACTED}`;
    else if (eq > 0) {
      const name = w.slice(0, eq).replace(/^--build-arg=/, '');
      const value = w.slice(eq + 1).replace(/^["']|["']$/g, '');
      if (secretKind(name, value)) out = `${w.slice(0, eq)}=${REDACTED}`;
    }
    out = out.replace(/(:\/\/[^\s:/@'"]{1,256}):[^\s/@'"]{1,256}@/g, `$1:${REDACTED}@`);
    parts[i] = out;
    if (w) prev = w;
  }
  return parts.join('');
}
