/**
 * Who is asking and what they may do. Every route declares `config.access`; a route without one
 * is refused (fail closed), so a new route cannot ship unguarded. A request is authenticated by a
 * bearer API token or by the session cookie; cookie-authenticated writes must also carry the
 * session's CSRF token in `X-CSRF-Token` (a bearer token is never sent by a browser on its own).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/open.js';
import type { Role } from '../store/schema.js';
import { forbidden, HttpError, unauthorized } from '../errors.js';
import { sameSecret, sha256 } from './tokens.js';

/** `public`: anyone; `user`: anyone signed in; otherwise the lowest role allowed. */
export type Access = 'public' | 'user' | Role;

export type Scope = 'read' | 'write' | 'admin';
export const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

const ROLE_RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };
/** the scope a token needs for a route of that access level */
const SCOPE_FOR: Record<Role, Scope> = { viewer: 'read', analyst: 'write', admin: 'admin' };
/** the scopes a role may put on its tokens */
export const SCOPES_OF_ROLE: Record<Role, Scope[]> = {
  viewer: ['read'],
  analyst: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
};

export interface Principal {
  userId: number;
  username: string;
  role: Role;
  via: 'session' | 'token';
  /** token scopes; a session has every scope of its role */
  scopes: Scope[];
  tokenId?: number;
  sessionId?: string;
  csrfToken?: string;
}

export const SESSION_COOKIE = 'bulwark_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function authenticate(
  store: Store,
  req: FastifyRequest,
  now: Date,
): Promise<Principal | undefined> {
  const header = req.headers.authorization;
  const at = now.toISOString();
  if (header !== undefined) {
    const m = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    if (!m) throw unauthorized('the Authorization header must be `Bearer <token>`');
    const row = await store.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select([
        't.id',
        't.scopes',
        't.expires_at',
        't.revoked_at',
        'u.id as user_id',
        'u.username',
        'u.role',
        'u.disabled',
      ])
      .where('t.token_sha256', '=', sha256(m[1]!))
      .executeTakeFirst();
    if (!row || row.revoked_at !== null || row.disabled) throw unauthorized('unknown or revoked token');
    if (row.expires_at !== null && row.expires_at <= at) throw unauthorized('the token has expired');
    await store.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', row.id).execute();
    const scopes = (JSON.parse(row.scopes) as Scope[]).filter((s) => SCOPES_OF_ROLE[row.role].includes(s));
    return {
      userId: row.user_id,
      username: row.username,
      role: row.role,
      via: 'token',
      scopes,
      tokenId: row.id,
    };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (!cookie) return undefined;
  const id = sha256(cookie);
  const row = await store.db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.csrf_token', 's.expires_at', 'u.id as user_id', 'u.username', 'u.role', 'u.disabled'])
    .where('s.id_sha256', '=', id)
    .executeTakeFirst();
  if (!row || row.disabled || row.expires_at <= at) return undefined;
  return {
    userId: row.user_id,
    username: row.username,
    role: row.role,
    via: 'session',
    scopes: SCOPES_OF_ROLE[row.role],
    sessionId: id,
    csrfToken: row.csrf_token,
  };
}

/** The onRequest check: authenticates, then enforces the route's access level and CSRF. */
export function accessHook(store: Store, clock: () => Date) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = req.routeOptions.config?.access;
    if (req.routeOptions.url === undefined) return; // no route: the 404 handler answers
    if (access === undefined) throw new HttpError(500, 'INTERNAL', 'route without an access level');
    if (access === 'public') return;
    const p = await authenticate(store, req, clock());
    if (!p) throw unauthorized();
    req.principal = p;
    if (p.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !p.csrfToken || !sameSecret(sent, p.csrfToken))
        throw new HttpError(403, 'CSRF', 'a signed-in write needs the session’s X-CSRF-Token header');
    }
    if (access === 'user') return;
    if (ROLE_RANK[p.role] < ROLE_RANK[access]) throw forbidden(`this needs the ${access} role`);
    if (!p.scopes.includes(SCOPE_FOR[access]))
      throw forbidden(`this token lacks the ${SCOPE_FOR[access]} scope`);
  };
}
