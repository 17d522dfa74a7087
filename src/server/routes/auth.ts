import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../app.js';
import { SESSION_COOKIE } from '../auth/access.js';
import { audit } from '../auth/audit.js';
import { SETUP_TOKEN_KEY } from '../auth/bootstrap.js';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords.js';
import { acceptTotp, checkSignIn, createSession, SignInError } from '../auth/sessions.js';
import { sameSecret, sha256 } from '../auth/tokens.js';
import { newRecoveryCodes, newTotpSecret, totpQrSvg, totpUri } from '../auth/totp.js';
import { HttpError } from '../errors.js';
import { userSchema, userView } from './schemas.js';

const credentials = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 128 },
    password: { type: 'string', minLength: 1, maxLength: 1024 },
    totp: { type: 'string', maxLength: 16 },
    recoveryCode: { type: 'string', maxLength: 64 },
  },
} as const;

const sessionView = {
  type: 'object',
  required: ['user', 'via', 'csrfToken'],
  additionalProperties: false,
  properties: {
    user: userSchema,
    via: { enum: ['session', 'token'] },
    csrfToken: { type: ['string', 'null'] },
    expiresAt: { type: 'string' },
  },
} as const;

const okSchema = {
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: { status: { type: 'string' } },
} as const;

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx.store;
  const limited = { rateLimit: { max: ctx.loginRateLimit.max, timeWindow: ctx.loginRateLimit.windowMs } };
  const setCookie = (reply: FastifyReply, value: string, expiresAt: string) =>
    reply.setCookie(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: ctx.secure,
      path: '/',
      expires: new Date(expiresAt),
    });

  app.post(
    '/api/v1/setup',
    {
      config: { access: 'public', ...limited },
      schema: {
        summary: 'exchange the one-time set-up token printed on first start for the first admin account',
        tags: ['auth'],
        body: {
          type: 'object',
          required: ['token', 'username', 'password'],
          additionalProperties: false,
          properties: {
            token: { type: 'string', maxLength: 200 },
            username: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._@-]+$' },
            password: { type: 'string', maxLength: 1024 },
          },
        },
        response: { 201: userSchema },
      },
    },
    async (req, reply) => {
      const b = req.body as { token: string; username: string; password: string };
      const stored = await db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', SETUP_TOKEN_KEY)
        .executeTakeFirst();
      if (!stored || !sameSecret(sha256(b.token), stored.value)) {
        await audit(ctx.store, {
          actorId: null,
          actor: b.username,
          action: 'setup',
          ip: req.ip,
          outcome: 'denied',
        });
        throw new HttpError(401, 'BAD_SETUP_TOKEN', 'unknown or used set-up token');
      }
      checkPasswordPolicy(b.password);
      const hash = await hashPassword(b.password);
      const user = await db.transaction().execute(async (trx) => {
        // the token is spent by the delete: a second request with it finds nothing to delete
        const gone = await trx.deleteFrom('settings').where('key', '=', SETUP_TOKEN_KEY).executeTakeFirst();
        if (Number(gone.numDeletedRows) !== 1)
          throw new HttpError(401, 'BAD_SETUP_TOKEN', 'unknown or used set-up token');
        return trx
          .insertInto('users')
          .values({
            username: b.username,
            password_hash: hash,
            role: 'admin',
            created_at: ctx.clock().toISOString(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
      });
      await audit(ctx.store, {
        actorId: user.id,
        actor: user.username,
        action: 'user.create',
        target: `user:${user.id}`,
        detail: { role: 'admin', from: 'setup-token' },
        ip: req.ip,
      });
      return reply.status(201).send(userView(user));
    },
  );

  app.post(
    '/api/v1/session',
    {
      config: { access: 'public', ...limited },
      schema: {
        summary: 'sign in: password, plus a TOTP or recovery code when enrolled; sets the session cookie',
        tags: ['auth'],
        body: credentials,
        response: { 200: sessionView },
      },
    },
    async (req, reply) => {
      const b = req.body as { username: string; password: string; totp?: string; recoveryCode?: string };
      let user;
      try {
        user = await checkSignIn(ctx, b);
      } catch (e) {
        if (e instanceof SignInError)
          await audit(ctx.store, {
            actorId: e.user?.id ?? null,
            actor: b.username,
            action: 'session.create',
            detail: { reason: e.code },
            ip: req.ip,
            outcome: 'denied',
          });
        throw e;
      }
      const s = await createSession(ctx, user.id);
      await audit(ctx.store, {
        actorId: user.id,
        actor: user.username,
        action: 'session.create',
        detail: {
          totp: Boolean(user.totp_enabled),
          recoveryCode: Boolean(b.recoveryCode && user.totp_enabled),
        },
        ip: req.ip,
      });
      setCookie(reply, s.value, s.expiresAt);
      return { user: userView(user), via: 'session', csrfToken: s.csrfToken, expiresAt: s.expiresAt };
    },
  );

  app.get(
    '/api/v1/session',
    {
      config: { access: 'user' },
      schema: {
        summary: 'who is signed in (or whose token this is)',
        tags: ['auth'],
        response: { 200: sessionView },
      },
    },
    async (req) => {
      const p = req.principal!;
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', p.userId)
        .executeTakeFirstOrThrow();
      return { user: userView(user), via: p.via, csrfToken: p.csrfToken ?? null };
    },
  );

  app.delete(
    '/api/v1/session',
    {
      config: { access: 'user' },
      schema: { summary: 'sign out (ends this session)', tags: ['auth'], response: { 200: okSchema } },
    },
    async (req, reply) => {
      const p = req.principal!;
      if (p.sessionId) await db.deleteFrom('sessions').where('id_sha256', '=', p.sessionId).execute();
      await audit(ctx.store, { actorId: p.userId, actor: p.username, action: 'session.delete', ip: req.ip });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { status: 'signed out' };
    },
  );

  app.post(
    '/api/v1/me/totp',
    {
      config: { access: 'user' },
      schema: {
        summary: 'start TOTP enrolment: a new secret and its otpauth:// URI (confirm with a code)',
        tags: ['auth'],
        response: {
          200: {
            type: 'object',
            required: ['secret', 'uri', 'qrSvg'],
            additionalProperties: false,
            properties: {
              secret: { type: 'string' },
              uri: { type: 'string' },
              qrSvg: {
                type: 'string',
                description: 'the otpauth:// URI as a QR code (SVG, made on the server)',
              },
            },
          },
        },
      },
    },
    async (req) => {
      const p = req.principal!;
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', p.userId)
        .executeTakeFirstOrThrow();
      if (user.totp_enabled)
        throw new HttpError(409, 'TOTP_ENROLLED', 'TOTP is already enabled for this account');
      const secret = newTotpSecret();
      await db
        .updateTable('users')
        .set({ totp_secret: secret, totp_last_step: 0 })
        .where('id', '=', p.userId)
        .execute();
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'totp.begin',
        target: `user:${p.userId}`,
        ip: req.ip,
      });
      const uri = totpUri(secret, user.username);
      return { secret, uri, qrSvg: await totpQrSvg(uri) };
    },
  );

  app.post(
    '/api/v1/me/totp/confirm',
    {
      config: { access: 'user' },
      schema: {
        summary:
          'finish TOTP enrolment with a current code; answers the one-time recovery codes (shown once)',
        tags: ['auth'],
        body: {
          type: 'object',
          required: ['code'],
          additionalProperties: false,
          properties: { code: { type: 'string', maxLength: 16 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['recoveryCodes'],
            additionalProperties: false,
            properties: { recoveryCodes: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    },
    async (req) => {
      const p = req.principal!;
      const { code } = req.body as { code: string };
      const user = await db
        .selectFrom('users')
        .selectAll()
        .where('id', '=', p.userId)
        .executeTakeFirstOrThrow();
      if (user.totp_enabled)
        throw new HttpError(409, 'TOTP_ENROLLED', 'TOTP is already enabled for this account');
      if (!user.totp_secret)
        throw new HttpError(409, 'TOTP_NOT_STARTED', 'start the enrolment with POST /api/v1/me/totp');
      try {
        await acceptTotp(ctx, user, code);
      } catch {
        await audit(ctx.store, {
          actorId: p.userId,
          actor: p.username,
          action: 'totp.enable',
          ip: req.ip,
          outcome: 'denied',
        });
        throw new HttpError(401, 'TOTP_INVALID', 'wrong or already used TOTP code');
      }
      const { codes, hashes } = newRecoveryCodes();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ totp_enabled: 1 }).where('id', '=', p.userId).execute();
        await trx.deleteFrom('recovery_codes').where('user_id', '=', p.userId).execute();
        await trx
          .insertInto('recovery_codes')
          .values(hashes.map((h) => ({ user_id: p.userId, code_sha256: h, used_at: null })))
          .execute();
      });
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'totp.enable',
        target: `user:${p.userId}`,
        ip: req.ip,
      });
      return { recoveryCodes: codes };
    },
  );
}
