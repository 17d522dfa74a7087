/** argon2id password hashes (OWASP's minimum parameters: 19 MiB, 2 passes, 1 lane). */
import type * as Argon2Module from '@node-rs/argon2';
import { badRequest } from '../errors.js';

// A native addon: named through a variable so the CLI bundle (scripts/bundle.mjs) leaves it to be
// loaded from node_modules at run time, as it does better-sqlite3, instead of failing on its .node
const ARGON2 = '@node-rs/argon2';
type Argon2 = typeof Argon2Module;
let loaded: Promise<Argon2> | undefined;
const argon2 = (): Promise<Argon2> => (loaded ??= import(ARGON2) as Promise<Argon2>);

const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 12;

export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw badRequest('WEAK_PASSWORD', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 1024) throw badRequest('WEAK_PASSWORD', 'a password has at most 1024 characters');
}

export function hashPassword(password: string): Promise<string> {
  return argon2().then((a) => a.hash(password, OPTIONS));
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await (await argon2()).verify(stored, password);
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
