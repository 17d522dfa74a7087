import type { SecretSpec } from '../types.js';

const PEM = 'https://www.rfc-editor.org/rfc/rfc7468';
// the first body line after the armour header (and optional RFC 1421 headers such as
// `Proc-Type: 4,ENCRYPTED`), in a file or escaped inside a JSON string; the body must be
// base64, so `<your key here>` placeholders and empty templates do not match
const NL = '(?:\\\\n|\\r?\\n)';
const BODY = `[ \\t]{0,10}${NL}(?:[A-Za-z-]{1,30}:[^\\n]{0,100}${NL}){0,4}${NL}?[ \\t]{0,10}([A-Za-z0-9+/=]{40,100})`;

function pem(
  id: string,
  label: string,
  title: string,
  severity: SecretSpec['severity'] = 'CRITICAL',
): SecretSpec {
  return {
    id,
    title,
    severity,
    aliases: ['gitleaks:private-key'],
    keywords: [`begin ${label.toLowerCase()}`],
    regex: new RegExp(`-----BEGIN ${label}-----${BODY}`),
    secretGroup: 1,
    category: 'keys',
    references: [PEM],
    remediation:
      'Remove the private key from the file and its history (or image layer), revoke the key pair and issue a new one; mount keys at run time from a secret store.',
  };
}

/** JWT header must be base64url JSON naming an algorithm. */
function isJwtHeader(token: string): boolean {
  const text = Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8');
  let alg: unknown;
  try {
    const head = JSON.parse(text) as unknown;
    if (typeof head !== 'object' || head === null || !('alg' in head)) return false;
    alg = (head as { alg: unknown }).alg;
  } catch {
    // a header edited by hand into invalid JSON still opens as a JWT header does
    if (!/^\{"(?:alg|typ)":/.test(text)) return false;
  }
  // an unsigned JWT (`alg: none`, RFC 7519 section 6) has an empty signature; others have one
  const signed = !token.endsWith('.');
  return signed || alg === 'none';
}

const JWT = /^eyJ[A-Za-z0-9_-]{4,2000}\.eyJ[A-Za-z0-9_-]{4,8000}\.[A-Za-z0-9_-]{0,2000}$/;

/**
 * base64 of a JWT (Kubernetes secrets, CI variables): it must decode to the three dot-separated
 * base64url parts of one, header and claims both `{"...`; twice-encoded text of that shape is no
 * accident, so the header is not parsed (copies seen in the wild carry hand-edited headers).
 */
function isBase64Jwt(b64: string): boolean {
  return JWT.test(Buffer.from(b64, 'base64').toString('utf8').replace(/=+$/, ''));
}

export const keyRules: SecretSpec[] = [
  pem('private-key-rsa', 'RSA PRIVATE KEY', 'RSA private key (PEM)'),
  pem('private-key-ec', 'EC PRIVATE KEY', 'EC private key (PEM)'),
  pem('private-key-dsa', 'DSA PRIVATE KEY', 'DSA private key (PEM)'),
  pem('private-key-openssh', 'OPENSSH PRIVATE KEY', 'OpenSSH private key'),
  pem('private-key-pkcs8', 'PRIVATE KEY', 'PKCS#8 private key (PEM)'),
  pem('private-key-encrypted', 'ENCRYPTED PRIVATE KEY', 'Encrypted PKCS#8 private key (PEM)', 'MEDIUM'),
  pem('private-key-pgp', 'PGP PRIVATE KEY BLOCK', 'PGP private key block'),
  {
    id: 'private-key-putty',
    title: 'PuTTY private key',
    severity: 'CRITICAL',
    aliases: [],
    keywords: ['putty-user-key-file-'],
    regex:
      /PuTTY-User-Key-File-[23]: [a-z0-9-]{3,40}\r?\n(?:[^\n]{0,200}\n){1,40}?Private-Lines: [0-9]{1,3}\r?\n([A-Za-z0-9+/=]{40,100})/,
    secretGroup: 1,
    category: 'keys',
    references: ['https://the.earth.li/~sgtatham/putty/0.78/htmldoc/AppendixC.html'],
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'MEDIUM',
    aliases: ['gitleaks:jwt'],
    keywords: ['eyj'],
    regex:
      /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,2000}\.eyJ[A-Za-z0-9_-]{10,8000}\.(?:[A-Za-z0-9_-]{10,2000})?)(?![A-Za-z0-9_-])/,
    secretGroup: 1,
    validate: isJwtHeader,
    // the jwt.io example token, printed in countless docs and tests
    allow: [
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    ],
    category: 'tokens',
    references: ['https://www.rfc-editor.org/rfc/rfc7519'],
  },
  {
    id: 'jwt-base64',
    title: 'Base64-encoded JSON Web Token',
    severity: 'MEDIUM',
    aliases: ['gitleaks:jwt-base64'],
    // base64 of `eyJ` is `ZXlK`
    keywords: ['zxlk'],
    regex: /(?<![A-Za-z0-9+/])(ZXlK[A-Za-z0-9+/]{40,12000}={0,2})(?![A-Za-z0-9+/=])/,
    secretGroup: 1,
    validate: isBase64Jwt,
    category: 'tokens',
    references: ['https://www.rfc-editor.org/rfc/rfc7519'],
  },
];
