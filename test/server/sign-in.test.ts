import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Secret } from 'otpauth';
import { totpCode } from '../../src/server/auth/totp.js';
import { bootstrapAdmin, buildApp, openStore } from '../../src/server/index.js';
import { ADMIN_PASSWORD, TestServer } from './harness.js';

describe('sign-in: TOTP, recovery codes, lock-out, rate limit', () => {
  let s: TestServer;
  before(async () => {
    s = await TestServer.start({ kind: 'sqlite' }, { lockout: { failures: 3, minutes: 15 } });
  });
  after(async () => s.close());

  it('enrols TOTP, then needs a code, refuses a replayed one, and takes each recovery code once', async () => {
    const u = await s.userWithToken('analyst');
    let me = await s.signIn(u.username, u.password);
    const begin = await s.request('POST', '/api/v1/me/totp', { cookie: me.cookie, csrf: me.csrf });
    assert.equal(begin.status, 200, begin.text);
    const { secret, uri } = begin.body as { secret: string; uri: string };
    assert.match(uri, /^otpauth:\/\/totp\//);
    const key = Secret.fromBase32(secret);
    const wrong = await s.request('POST', '/api/v1/me/totp/confirm', {
      cookie: me.cookie,
      csrf: me.csrf,
      body: { code: '000000' },
    });
    assert.equal(wrong.status, 401);
    const confirm = await s.request('POST', '/api/v1/me/totp/confirm', {
      cookie: me.cookie,
      csrf: me.csrf,
      body: { code: totpCode(key, s.now) },
    });
    assert.equal(confirm.status, 200, confirm.text);
    const { recoveryCodes } = confirm.body as { recoveryCodes: string[] };
    assert.equal(recoveryCodes.length, 10);

    // password alone is no longer enough
    me = await s.signIn(u.username, u.password);
    assert.equal(me.reply.status, 401);
    assert.equal((me.reply.body as { error: { code: string } }).error.code, 'TOTP_REQUIRED');
    // the code used for enrolment is spent: the same step again is a replay
    me = await s.signIn(u.username, u.password, { totp: totpCode(key, s.now) });
    assert.equal(me.reply.status, 401);
    assert.equal((me.reply.body as { error: { code: string } }).error.code, 'TOTP_INVALID');
    s.now += 30_000;
    const code = totpCode(key, s.now);
    me = await s.signIn(u.username, u.password, { totp: code });
    assert.equal(me.reply.status, 200, me.reply.text);
    const replay = await s.signIn(u.username, u.password, { totp: code });
    assert.equal(replay.reply.status, 401, 'a replayed TOTP code is refused');
    // a recovery code works once
    const rc = await s.signIn(u.username, u.password, { recoveryCode: recoveryCodes[0]! });
    assert.equal(rc.reply.status, 200);
    const rc2 = await s.signIn(u.username, u.password, { recoveryCode: recoveryCodes[0]! });
    assert.equal(rc2.reply.status, 401);
    s.now += 30_000;
  });

  it('locks an account out after repeated failures, even for the right password, until the time passes', async () => {
    const u = await s.userWithToken('viewer');
    for (let i = 0; i < 3; i++)
      assert.equal((await s.signIn(u.username, 'wrong password here')).reply.status, 401);
    const locked = await s.signIn(u.username, u.password);
    assert.equal(locked.reply.status, 423);
    assert.equal((locked.reply.body as { error: { code: string } }).error.code, 'ACCOUNT_LOCKED');
    s.now += 16 * 60_000;
    assert.equal((await s.signIn(u.username, u.password)).reply.status, 200);
  });

  it('rate-limits sign-in attempts per client', async () => {
    const limited = await TestServer.start(
      { kind: 'sqlite' },
      { loginRateLimit: { max: 3, windowMs: 60_000 } },
    );
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await limited.signIn('admin', 'wrong password here')).reply.status);
      assert.deepEqual(codes.slice(0, 3), [401, 401, 401]);
      assert.deepEqual(codes.slice(3), [429, 429]);
      const r = await limited.signIn('admin', ADMIN_PASSWORD);
      assert.equal(r.reply.status, 429);
      assert.equal((r.reply.body as { error: { code: string } }).error.code, 'RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('first start without BULWARK_ADMIN_PASSWORD', () => {
  it('prints a one-time set-up token that makes the first admin once', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-setup-'));
    const store = await openStore({ sqlitePath: path.join(dir, 'server.db') });
    try {
      const boot = await bootstrapAdmin(store, {});
      assert.equal(boot.kind, 'setup-token');
      const token = (boot as { token: string }).token;
      const app = await buildApp({ store, version: 'test' });
      const setup = (body: object) => app.inject({ method: 'POST', url: '/api/v1/setup', payload: body });
      assert.equal(
        (await setup({ token: 'setup_wrong', username: 'root', password: ADMIN_PASSWORD })).statusCode,
        401,
      );
      assert.equal((await setup({ token, username: 'root', password: 'short' })).statusCode, 400);
      const ok = await setup({ token, username: 'root', password: ADMIN_PASSWORD });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal((await setup({ token, username: 'root2', password: ADMIN_PASSWORD })).statusCode, 401);
      assert.equal((await bootstrapAdmin(store, {})).kind, 'existing');
      await app.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('marks the session cookie Secure when serving TLS', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-tls-'));
    const store = await openStore({ sqlitePath: path.join(dir, 'server.db') });
    try {
      await bootstrapAdmin(store, { adminPassword: ADMIN_PASSWORD });
      const { selfSignedCert } = await import('../helpers/tls.js');
      const { key, cert } = await selfSignedCert(dir, '/CN=127.0.0.1');
      const { readFileSync } = await import('node:fs');
      const app = await buildApp({
        store,
        version: 'test',
        tls: { key: readFileSync(key), cert: readFileSync(cert) },
      });
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { username: 'admin', password: ADMIN_PASSWORD },
      });
      assert.equal(r.statusCode, 200);
      const c = String(r.headers['set-cookie']);
      assert.match(c, /; Secure/);
      assert.match(c, /HttpOnly/);
      assert.match(c, /SameSite=Strict/);
      await app.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
