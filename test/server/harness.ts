/**
 * A real server for API tests: buildApp on 127.0.0.1 (an ephemeral port) over a real SQLite file
 * or PostgreSQL database, spoken to with fetch. Every response is checked against the server's own
 * OpenAPI document (ajv, JSON Schema 2020-12), so the document cannot drift from the answers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { buildApp, bootstrapAdmin, openStore, type AppOptions, type Store } from '../../src/server/index.js';
import type { JobQueue } from '../../src/server/queue/index.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface RequestOptions {
  token?: string;
  cookie?: string;
  csrf?: string;
  body?: unknown;
  /** a raw body (sent as is, with content-type application/json unless `contentType`) */
  raw?: string | Buffer;
  contentType?: string;
}

export type Backend = { kind: 'sqlite' } | { kind: 'postgres'; url: string };

export class TestServer {
  /** the server's clock: tests move it (token expiry, TOTP steps, lock-out) */
  now = Date.parse('2026-12-01T12:00:00Z');
  checked = 0;
  private validators = new Map<string, ValidateFunction>();
  private ajv?: Ajv2020;
  private operations: { method: string; re: RegExp; path: string }[] = [];
  app!: FastifyInstance;
  store!: Store;
  url = '';
  private dir?: string;

  static async start(backend: Backend = { kind: 'sqlite' }, opts: Partial<AppOptions> = {}) {
    const s = new TestServer();
    if (backend.kind === 'sqlite') {
      s.dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-api-'));
      s.store = await openStore({ sqlitePath: path.join(s.dir, 'server.db') });
    } else {
      s.store = await openStore({ databaseUrl: backend.url });
    }
    await bootstrapAdmin(s.store, { adminPassword: ADMIN_PASSWORD });
    s.app = await buildApp({
      store: s.store,
      version: 'test',
      clock: () => new Date(s.now),
      loginRateLimit: { max: 1000, windowMs: 60_000 },
      ...opts,
    });
    s.url = await s.app.listen({ host: '127.0.0.1', port: 0 });
    await s.loadOpenApi();
    return s;
  }

  /**
   * A server with a job queue on its own store (what `bulwark server` opens): `setup` opens the
   * queue (and starts working it, unless the test wants a server with `--no-worker`).
   */
  static async startWithQueue(
    backend: Backend,
    opts: Partial<AppOptions>,
    setup: (store: Store, clock: () => Date) => Promise<JobQueue>,
  ) {
    const s = new TestServer();
    if (backend.kind === 'sqlite') {
      s.dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-api-'));
      s.store = await openStore({ sqlitePath: path.join(s.dir, 'server.db') });
    } else {
      s.store = await openStore({ databaseUrl: backend.url });
    }
    await bootstrapAdmin(s.store, { adminPassword: ADMIN_PASSWORD });
    const clock = () => new Date(s.now);
    s.queue = await setup(s.store, clock);
    s.app = await buildApp({
      store: s.store,
      version: 'test',
      clock,
      loginRateLimit: { max: 1000, windowMs: 60_000 },
      queue: s.queue,
      ...opts,
    });
    s.url = await s.app.listen({ host: '127.0.0.1', port: 0 });
    await s.loadOpenApi();
    return s;
  }

  queue?: JobQueue;

  async close() {
    await this.queue?.stop();
    await this.app.close();
    await this.store.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  openapi!: Record<string, unknown> & {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: { name: string; in: string; schema: { type?: unknown } }[];
          'x-bulwark-access': string;
          requestBody?: unknown;
        }
      >
    >;
  };

  private async loadOpenApi() {
    const res = await fetch(`${this.url}/openapi.json`);
    assert.equal(res.status, 200);
    this.openapi = (await res.json()) as never;
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(this.openapi, 'openapi');
    for (const [p, ops] of Object.entries(this.openapi.paths))
      for (const method of Object.keys(ops))
        this.operations.push({
          method: method.toUpperCase(),
          path: p,
          re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        });
  }

  /** Validates a response against the document: the operation's schema for that status. */
  private check(method: string, url: string, r: Reply) {
    if (!r.headers.get('content-type')?.includes('application/json')) return;
    const pathOnly = url.split('?')[0]!;
    const op = this.operations.find((o) => o.method === method && o.re.test(pathOnly));
    let ref: string;
    if (!op) {
      assert.ok(
        r.status === 404 || r.status === 405,
        `${method} ${pathOnly} is not in the OpenAPI document (got ${r.status})`,
      );
      ref = 'openapi#/components/schemas/Error';
    } else {
      const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
      const responses = (
        this.openapi.paths[op.path]![op.method.toLowerCase()] as unknown as {
          responses: Record<string, unknown>;
        }
      ).responses;
      assert.ok(
        responses[String(r.status)],
        `${method} ${op.path} answered ${r.status}, which the document does not list`,
      );
      ref = `openapi#/paths/${esc(op.path)}/${op.method.toLowerCase()}/responses/${r.status}/content/application~1json/schema`;
    }
    let v = this.validators.get(ref);
    if (!v) {
      v = this.ajv!.compile({ $ref: ref });
      this.validators.set(ref, v);
    }
    assert.ok(
      v(r.body),
      `${method} ${url} ${r.status} does not match the OpenAPI document: ${JSON.stringify(v.errors?.slice(0, 5))}`,
    );
    this.checked++;
  }

  async request(method: string, url: string, o: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.cookie) headers.cookie = o.cookie;
    if (o.csrf) headers['x-csrf-token'] = o.csrf;
    let body: string | Buffer | undefined;
    if (o.raw !== undefined) body = o.raw;
    else if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
    const res = await fetch(`${this.url}${url}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const r = { status: res.status, headers: res.headers, body: parsed, text };
    this.check(method, url, r);
    return r;
  }

  /** Signs in; the cookie to send back and the CSRF token for writes. */
  async signIn(username: string, password: string, extra: { totp?: string; recoveryCode?: string } = {}) {
    const r = await this.request('POST', '/api/v1/session', { body: { username, password, ...extra } });
    const setCookie = r.headers.get('set-cookie') ?? '';
    return {
      reply: r,
      cookie: setCookie.split(';')[0]!,
      setCookie,
      csrf: (r.body as { csrfToken?: string })?.csrfToken ?? '',
    };
  }

  private adminSession?: { cookie: string; csrf: string };
  async admin() {
    if (!this.adminSession) {
      const s = await this.signIn('admin', ADMIN_PASSWORD);
      assert.equal(s.reply.status, 200, s.reply.text);
      this.adminSession = s;
    }
    return this.adminSession;
  }

  /** A new user of that role and an API token of theirs. */
  async userWithToken(role: 'admin' | 'analyst' | 'viewer', scopes?: string[], expiresInDays = 30) {
    const a = await this.admin();
    const username = `${role}-${Math.random().toString(36).slice(2, 8)}`;
    const password = `password for ${username}`;
    const u = await this.request('POST', '/api/v1/users', { ...a, body: { username, password, role } });
    assert.equal(u.status, 201, u.text);
    const me = await this.signIn(username, password);
    const defaultScopes = { admin: ['read', 'write', 'admin'], analyst: ['read', 'write'], viewer: ['read'] }[
      role
    ];
    const t = await this.request('POST', '/api/v1/tokens', {
      cookie: me.cookie,
      csrf: me.csrf,
      body: { name: 'test', scopes: scopes ?? defaultScopes, expiresInDays },
    });
    assert.equal(t.status, 201, t.text);
    return {
      username,
      password,
      id: (u.body as { id: number }).id,
      token: (t.body as { token: string }).token,
      tokenId: (t.body as { id: number }).id,
    };
  }
}
