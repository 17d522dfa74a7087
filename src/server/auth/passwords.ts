/** argon2id password hashes (OWASP's minimum parameters: 19 MiB, 2 passes, 1 lane). */
import { hash, verify } from '@node-rs/argon2';
import { badRequest } from '../errors.js';

const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw badRequest('WEAK_PASSWORD', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 1024) throw badRequest('WEAK_PASSWORD', 'a password has at most 1024 characters');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/** Spends the time a real check takes, so an unknown user name answers as slowly as a known one. */
export async function verifyNobody(password: string): Promise<void> {
  dummy ??= hashPassword('not a password anyone has');
  await verifyPassword(await dummy, password);
}
