/**
 * The first admin: from a password given at start (BULWARK_ADMIN_PASSWORD, read by the CLI), or,
 * when none is given and no user exists, a one-time set-up token (its SHA-256 stored) that
 * `POST /api/v1/setup` exchanges for the first admin account.
 */
import type { Store } from '../store/open.js';
import { audit } from './audit.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';
import { newSecret, sha256 } from './tokens.js';

export const SETUP_TOKEN_KEY = 'setup_token_sha256';

export type Bootstrap =
  { kind: 'existing' } | { kind: 'admin-created'; username: string } | { kind: 'setup-token'; token: string };

export async function bootstrapAdmin(
  store: Store,
  opts: { adminPassword?: string; adminUser?: string; now?: Date },
): Promise<Bootstrap> {
  const now = (opts.now ?? new Date()).toISOString();
  const any = await store.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return { kind: 'existing' };
  if (opts.adminPassword) {
    checkPasswordPolicy(opts.adminPassword);
    const username = opts.adminUser ?? 'admin';
    const user = await store.db
      .insertInto('users')
      .values({
        username,
        password_hash: await hashPassword(opts.adminPassword),
        role: 'admin',
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(store, {
      actorId: null,
      actor: 'system',
      action: 'user.create',
      target: `user:${user.id}`,
      detail: { username, role: 'admin', from: 'BULWARK_ADMIN_PASSWORD' },
    });
    return { kind: 'admin-created', username };
  }
  const token = newSecret('setup_');
  const hashed = sha256(token);
  // a new token on every start until the set-up is done: one printed earlier stops working
  await store.db.deleteFrom('settings').where('key', '=', SETUP_TOKEN_KEY).execute();
  await store.db.insertInto('settings').values({ key: SETUP_TOKEN_KEY, value: hashed }).execute();
  await audit(store, { actorId: null, actor: 'system', action: 'setup.token', detail: {} });
  return { kind: 'setup-token', token };
}
