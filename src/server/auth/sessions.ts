/** Sign-in: password, then TOTP or a recovery code when enrolled; failures count toward lock-out. */
import { Secret } from 'otpauth';
import type { AppContext } from '../app.js';
import { HttpError } from '../errors.js';
import type { UsersTable } from '../store/schema.js';
import type { Selectable } from 'kysely';
import { verifyNobody, verifyPassword } from './passwords.js';
import { newSecret, sha256 } from './tokens.js';
import { hashRecoveryCode, verifyTotp } from './totp.js';

export type User = Selectable<UsersTable>;

export interface SignIn {
  username: string;
  password: string;
  totp?: string;
  recoveryCode?: string;
}

/** Why a sign-in failed: all answer 401 except a lock-out (423), with distinct codes. */
export class SignInError extends HttpError {
  constructor(
    code: 'BAD_CREDENTIALS' | 'TOTP_REQUIRED' | 'TOTP_INVALID' | 'ACCOUNT_LOCKED',
    message: string,
    readonly user?: User,
  ) {
    super(code === 'ACCOUNT_LOCKED' ? 423 : 401, code, message);
  }
}

export async function checkSignIn(ctx: AppContext, s: SignIn): Promise<User> {
  const { db } = ctx.store;
  const now = ctx.clock();
  const user = await db.selectFrom('users').selectAll().where('username', '=', s.username).executeTakeFirst();
  if (!user || user.disabled) {
    await verifyNobody(s.password);
    throw new SignInError('BAD_CREDENTIALS', 'wrong user name or password');
  }
  if (user.locked_until && user.locked_until > now.toISOString())
    throw new SignInError(
      'ACCOUNT_LOCKED',
      `too many failed sign-ins; locked until ${user.locked_until}`,
      user,
    );
  const fail = async (code: 'BAD_CREDENTIALS' | 'TOTP_INVALID', message: string): Promise<never> => {
    const failures = user.failed_logins + 1;
    const lock = failures >= ctx.lockout.failures;
    await db
      .updateTable('users')
      .set({
        failed_logins: lock ? 0 : failures,
        locked_until: lock
          ? new Date(now.getTime() + ctx.lockout.minutes * 60_000).toISOString()
          : user.locked_until,
      })
      .where('id', '=', user.id)
      .execute();
    throw new SignInError(code, message, user);
  };
  if (!(await verifyPassword(user.password_hash, s.password)))
    return fail('BAD_CREDENTIALS', 'wrong user name or password');
  if (user.totp_enabled) {
    if (s.recoveryCode) {
      // the code is spent by the update itself, so two requests cannot both use it
      const spent = await db
        .updateTable('recovery_codes')
        .set({ used_at: now.toISOString() })
        .where('user_id', '=', user.id)
        .where('code_sha256', '=', hashRecoveryCode(s.recoveryCode))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1) return fail('TOTP_INVALID', 'unknown or used recovery code');
    } else {
      if (!s.totp)
        throw new SignInError('TOTP_REQUIRED', 'this account needs a TOTP code (or a recovery code)', user);
      await acceptTotp(ctx, user, s.totp).catch(() =>
        fail('TOTP_INVALID', 'wrong or already used TOTP code'),
      );
    }
  }
  await db
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: null })
    .where('id', '=', user.id)
    .execute();
  return user;
}

/** Checks a TOTP code and records its time step, refusing a step already used (a replay). */
export async function acceptTotp(ctx: AppContext, user: User, code: string): Promise<void> {
  if (!user.totp_secret) throw new Error('no TOTP secret');
  const step = verifyTotp(
    Secret.fromBase32(user.totp_secret),
    code,
    ctx.clock().getTime(),
    user.totp_last_step,
  );
  if (step === null) throw new Error('wrong or replayed code');
  const r = await ctx.store.db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', user.id)
    .where('totp_last_step', '<', step)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new Error('replayed code');
}

export async function createSession(ctx: AppContext, userId: number) {
  const value = newSecret();
  const csrfToken = newSecret();
  const now = ctx.clock();
  const expiresAt = new Date(now.getTime() + ctx.sessionHours * 3600_000).toISOString();
  await ctx.store.db
    .insertInto('sessions')
    .values({
      id_sha256: sha256(value),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { value, csrfToken, expiresAt };
}
