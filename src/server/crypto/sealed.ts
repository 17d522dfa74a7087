/**
 * Secrets at rest (registry credentials, webhook signing keys, SMTP passwords): sealed with
 * AES-256-GCM under a key the store never holds. The key comes from the environment
 * (`BULWARK_SECRET_KEY`: 32 bytes as 64 hex characters or base64), so a copy of the database alone
 * reveals nothing. A sealed value is `v1:<iv>:<tag>:<ciphertext>` (base64url), bound to what it is
 * for by the additional authenticated data (`purpose`), so a sealed registry password cannot be
 * moved into a webhook row and opened there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { BulwarkError } from '../../core/errors.js';

export const SECRET_KEY_ENV = 'BULWARK_SECRET_KEY';

export interface SecretBox {
  seal(plaintext: string, purpose: string): string;
  open(sealed: string, purpose: string): string;
}

/** Reads the 32-byte key: 64 hex characters or base64(url) of 32 bytes. */
export function parseSecretKey(text: string, input = SECRET_KEY_ENV): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32)
    throw new BulwarkError('CONFIG', 'the secret key must be 32 bytes: 64 hex characters or base64', {
      input,
    });
  return key;
}

export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new BulwarkError('INTERNAL', 'secret key must be 32 bytes');
  return {
    seal(plaintext, purpose) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(purpose, 'utf8'));
      const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
      return ['v1', iv, c.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join(':');
    },
    open(sealed, purpose) {
      const parts = sealed.split(':');
      if (parts.length !== 4 || parts[0] !== 'v1')
        throw new BulwarkError('MALFORMED_INPUT', 'not a sealed secret (v1:iv:tag:data)', { input: purpose });
      const [iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
      try {
        const d = createDecipheriv('aes-256-gcm', key, iv!);
        d.setAAD(Buffer.from(purpose, 'utf8'));
        d.setAuthTag(tag!);
        return Buffer.concat([d.update(body!), d.final()]).toString('utf8');
      } catch {
        throw new BulwarkError(
          'KEY_INVALID',
          'the sealed secret does not open with this key (another BULWARK_SECRET_KEY?)',
          {
            input: purpose,
          },
        );
      }
    },
  };
}

/**
 * The server's box from the environment, or undefined when no key is set: features that store
 * secrets then refuse to (422 SECRET_KEY_MISSING) rather than store them in the clear.
 */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox | undefined {
  const v = env[SECRET_KEY_ENV];
  return v ? secretBox(parseSecretKey(v)) : undefined;
}
