import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app.js';
import { SCOPES, SCOPES_OF_ROLE, type Scope } from '../auth/access.js';
import { audit } from '../auth/audit.js';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords.js';
import { newSecret, sha256, TOKEN_PREFIX } from '../auth/tokens.js';
import { forbidden, HttpError, notFound } from '../errors.js';
import type { Role } from '../store/schema.js';
import { idParams, nullableString, paging, userSchema, userView } from './schemas.js';

const token = {
  type: 'object',
  required: ['id', 'userId', 'name', 'scopes', 'expiresAt', 'createdAt', 'lastUsedAt', 'revokedAt'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    userId: { type: 'integer' },
    name: { type: 'string' },
    scopes: { type: 'array', items: { enum: SCOPES } },
    expiresAt: nullableString,
    createdAt: { type: 'string' },
    lastUsedAt: nullableString,
    revokedAt: nullableString,
    token: { type: 'string', description: 'the secret, answered once when the token is made' },
  },
} as const;

const auditEntry = {
  type: 'object',
  required: ['id', 'at', 'actorId', 'actor', 'action', 'target', 'detail', 'ip', 'outcome'],
  additionalProperties: false,
  properties: {
    id: { type: 'integer' },
    at: { type: 'string' },
    actorId: { type: ['integer', 'null'] },
    actor: { type: 'string' },
    action: { type: 'string' },
    target: nullableString,
    detail: { type: 'object' },
    ip: nullableString,
    outcome: { enum: ['ok', 'denied', 'failed'] },
  },
} as const;

const roleEnum = { enum: ['admin', 'analyst', 'viewer'] } as const;

function tokenView(t: {
  id: number;
  user_id: number;
  name: string;
  scopes: string;
  expires_at: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}) {
  return {
    id: t.id,
    userId: t.user_id,
    name: t.name,
    scopes: JSON.parse(t.scopes) as Scope[],
    expiresAt: t.expires_at,
    createdAt: t.created_at,
    lastUsedAt: t.last_used_at,
    revokedAt: t.revoked_at,
  };
}

export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  const { db } = ctx.store;

  app.get(
    '/api/v1/users',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'every user',
        tags: ['users'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { role: roleEnum, username: { type: 'string', maxLength: 128 }, ...paging },
        },
        response: {
          200: {
            type: 'object',
            required: ['users'],
            additionalProperties: false,
            properties: { users: { type: 'array', items: userSchema } },
          },
        },
      },
    },
    async (req) => {
      const q = req.query as { role?: Role; username?: string; limit: number; offset: number };
      let sel = db.selectFrom('users').selectAll();
      if (q.role) sel = sel.where('role', '=', q.role);
      if (q.username) sel = sel.where('username', '=', q.username);
      const rows = await sel.orderBy('id').limit(q.limit).offset(q.offset).execute();
      return { users: rows.map(userView) };
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'add a user',
        tags: ['users'],
        body: {
          type: 'object',
          required: ['username', 'password', 'role'],
          additionalProperties: false,
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._@-]+$' },
            password: { type: 'string', maxLength: 1024 },
            role: roleEnum,
          },
        },
        response: { 201: userSchema },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body as { username: string; password: string; role: Role };
      checkPasswordPolicy(b.password);
      if (await db.selectFrom('users').select('id').where('username', '=', b.username).executeTakeFirst())
        throw new HttpError(409, 'USER_EXISTS', `user ${b.username} exists`);
      const user = await db
        .insertInto('users')
        .values({
          username: b.username,
          password_hash: await hashPassword(b.password),
          role: b.role,
          created_at: ctx.clock().toISOString(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'user.create',
        target: `user:${user.id}`,
        detail: { username: b.username, role: b.role },
        ip: req.ip,
      });
      return reply.status(201).send(userView(user));
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'change a user’s role, password or disabled flag',
        tags: ['users'],
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            role: roleEnum,
            password: { type: 'string', maxLength: 1024 },
            disabled: { type: 'boolean' },
          },
        },
        response: { 200: userSchema },
      },
    },
    async (req) => {
      const p = req.principal!;
      const { id } = req.params as { id: number };
      const b = req.body as { role?: Role; password?: string; disabled?: boolean };
      if (!(await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()))
        throw notFound('user');
      if (b.password !== undefined) checkPasswordPolicy(b.password);
      await db
        .updateTable('users')
        .set({
          ...(b.role ? { role: b.role } : {}),
          ...(b.password !== undefined ? { password_hash: await hashPassword(b.password) } : {}),
          ...(b.disabled !== undefined ? { disabled: b.disabled ? 1 : 0 } : {}),
        })
        .where('id', '=', id)
        .execute();
      // a changed password or a disabled account ends its sessions
      if (b.password !== undefined || b.disabled)
        await db.deleteFrom('sessions').where('user_id', '=', id).execute();
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'user.update',
        target: `user:${id}`,
        detail: {
          ...(b.role ? { role: b.role } : {}),
          ...(b.password !== undefined ? { password: 'changed' } : {}),
          ...(b.disabled !== undefined ? { disabled: b.disabled } : {}),
        },
        ip: req.ip,
      });
      return userView(
        await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
      );
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      config: { access: 'user' },
      schema: {
        summary: 'your API tokens (an admin token with the admin scope sees everyone’s)',
        tags: ['tokens'],
        response: {
          200: {
            type: 'object',
            required: ['tokens'],
            additionalProperties: false,
            properties: { tokens: { type: 'array', items: token } },
          },
        },
      },
    },
    async (req) => {
      const p = req.principal!;
      let sel = db.selectFrom('api_tokens').selectAll();
      if (!(p.role === 'admin' && p.scopes.includes('admin'))) sel = sel.where('user_id', '=', p.userId);
      return { tokens: (await sel.orderBy('id').execute()).map(tokenView) };
    },
  );

  app.post(
    '/api/v1/tokens',
    {
      config: { access: 'user' },
      schema: {
        summary: 'make an API token for yourself: scoped (at most your role’s scopes) and expiring',
        tags: ['tokens'],
        body: {
          type: 'object',
          required: ['name', 'scopes'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 128 },
            scopes: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: SCOPES } },
            expiresInDays: { type: 'integer', minimum: 1, maximum: 3650, default: 90 },
          },
        },
        response: { 201: token },
      },
    },
    async (req, reply) => {
      const p = req.principal!;
      const b = req.body as { name: string; scopes: Scope[]; expiresInDays: number };
      // a token never gets more than the scopes it was made with (a token cannot mint a wider one)
      const allowed = p.via === 'token' ? p.scopes : SCOPES_OF_ROLE[p.role];
      const extra = b.scopes.filter((s) => !allowed.includes(s));
      if (extra.length) throw forbidden(`you cannot grant ${extra.join(', ')}`);
      const secret = newSecret(TOKEN_PREFIX);
      const now = ctx.clock();
      const row = await db
        .insertInto('api_tokens')
        .values({
          user_id: p.userId,
          name: b.name,
          token_sha256: sha256(secret),
          scopes: JSON.stringify([...b.scopes].sort()),
          expires_at: new Date(now.getTime() + b.expiresInDays * 86400_000).toISOString(),
          created_at: now.toISOString(),
          last_used_at: null,
          revoked_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'token.create',
        target: `token:${row.id}`,
        detail: { name: b.name, scopes: b.scopes, expiresAt: row.expires_at },
        ip: req.ip,
      });
      return reply.status(201).send({ ...tokenView(row), token: secret });
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { access: 'user' },
      schema: {
        summary: 'revoke a token (yours, or anyone’s as admin)',
        tags: ['tokens'],
        params: idParams,
        response: { 200: token },
      },
    },
    async (req) => {
      const p = req.principal!;
      const { id } = req.params as { id: number };
      const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row || (row.user_id !== p.userId && !(p.role === 'admin' && p.scopes.includes('admin'))))
        throw notFound('token');
      await db
        .updateTable('api_tokens')
        .set({ revoked_at: ctx.clock().toISOString() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      await audit(ctx.store, {
        actorId: p.userId,
        actor: p.username,
        action: 'token.revoke',
        target: `token:${id}`,
        ip: req.ip,
      });
      return tokenView(
        await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
      );
    },
  );

  app.get(
    '/api/v1/audit',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'the audit log, newest first',
        tags: ['audit'],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            action: { type: 'string', maxLength: 64 },
            actor: { type: 'string', maxLength: 128 },
            outcome: { enum: ['ok', 'denied', 'failed'] },
            ...paging,
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['entries'],
            additionalProperties: false,
            properties: { entries: { type: 'array', items: auditEntry } },
          },
        },
      },
    },
    async (req) => {
      const q = req.query as {
        action?: string;
        actor?: string;
        outcome?: 'ok' | 'denied' | 'failed';
        limit: number;
        offset: number;
      };
      let sel = db.selectFrom('audit_log').selectAll();
      if (q.action) sel = sel.where('action', '=', q.action);
      if (q.actor) sel = sel.where('actor', '=', q.actor);
      if (q.outcome) sel = sel.where('outcome', '=', q.outcome);
      const rows = await sel.orderBy('id', 'desc').limit(q.limit).offset(q.offset).execute();
      return {
        entries: rows.map((r) => ({
          id: r.id,
          at: r.at,
          actorId: r.actor_id,
          actor: r.actor,
          action: r.action,
          target: r.target,
          detail: JSON.parse(r.detail) as object,
          ip: r.ip,
          outcome: r.outcome,
        })),
      };
    },
  );
}
