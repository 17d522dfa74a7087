import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoReport, laterScan } from './fixtures.js';
import { ADMIN_PASSWORD, TestServer, type Backend } from './harness.js';

const INJECTIONS = [
  "' OR '1'='1",
  "x'; DROP TABLE images; --",
  '%" OR 1=1 --',
  '1 UNION SELECT password_hash, username, 1, 1, 1, 1 FROM users --',
  "\\'; DELETE FROM scans WHERE '1'='1",
  '%_%',
];

function apiSuite(name: string, backend: () => Promise<{ backend: Backend; done?: () => Promise<void> }>) {
  describe(`server API on ${name}`, () => {
    let s: TestServer;
    let done: (() => Promise<void>) | undefined;
    let analyst: Awaited<ReturnType<TestServer['userWithToken']>>;
    let viewer: Awaited<ReturnType<TestServer['userWithToken']>>;

    before(async () => {
      const b = await backend();
      done = b.done;
      s = await TestServer.start(b.backend, { maxReportBytes: 2 * 1024 * 1024 });
      analyst = await s.userWithToken('analyst');
      viewer = await s.userWithToken('viewer');
    });
    after(async () => {
      await s?.close();
      await done?.();
    });

    it('answers health, readiness and an OpenAPI 3.1 document listing every route', async () => {
      assert.equal((await s.request('GET', '/healthz')).status, 200);
      assert.equal((await s.request('GET', '/readyz')).status, 200);
      assert.equal(s.openapi.openapi, '3.1.0');
      for (const p of [
        '/api/v1/reports',
        '/api/v1/images',
        '/api/v1/images/{id}/scans',
        '/api/v1/scans/{id}',
        '/api/v1/images/{id}/diff',
        '/api/v1/session',
        '/api/v1/tokens',
        '/api/v1/users',
        '/api/v1/audit',
      ])
        assert.ok(s.openapi.paths[p], `${p} documented`);
    });

    it('stores an uploaded report and answers its history and diffs', async () => {
      const r = await demoReport();
      const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
      assert.equal(up.status, 201, up.text);
      const first = up.body as { imageId: number; scanId: number; findings: number };
      assert.equal(first.findings, r.findings.length);
      const again = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
      assert.equal(again.status, 200);
      assert.equal((again.body as { duplicate: boolean }).duplicate, true);

      const gone = (f: { package: { name: string } }) =>
        f.package.name === 'curl' || f.package.name === 'libcurl4';
      const dropped = r.findings.filter(gone).length;
      assert.ok(dropped > 0);
      const later = laterScan(r, '2026-11-30T00:00:00.000Z', gone);
      const up2 = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: later });
      assert.equal(up2.status, 201, up2.text);
      const second = up2.body as { scanId: number; fixed: number };
      assert.equal(second.fixed, dropped);

      const images = await s.request('GET', '/api/v1/images', { token: viewer.token });
      assert.equal(images.status, 200);
      const list = (images.body as { images: { id: number; scans: number; repository: string }[] }).images;
      const img = list.find((i) => i.id === first.imageId)!;
      assert.equal(img.scans, 2);
      assert.equal(
        (await s.request('GET', `/api/v1/images/${first.imageId}`, { token: viewer.token })).status,
        200,
      );

      const scans = await s.request('GET', `/api/v1/images/${first.imageId}/scans`, { token: viewer.token });
      assert.deepEqual(
        (scans.body as { scans: { id: number }[] }).scans.map((x) => x.id),
        [second.scanId, first.scanId],
      );
      const one = await s.request('GET', `/api/v1/scans/${first.scanId}`, { token: viewer.token });
      assert.equal(one.status, 200);
      assert.deepEqual((one.body as { report: unknown }).report, r);

      const diff = await s.request('GET', `/api/v1/images/${first.imageId}/diff`, { token: viewer.token });
      assert.equal(diff.status, 200);
      const d = diff.body as {
        from: number;
        to: number;
        new: unknown[];
        fixed: { packageName: string }[];
        unchanged: unknown[];
      };
      assert.equal(d.from, first.scanId);
      assert.equal(d.to, second.scanId);
      assert.equal(d.fixed.length, dropped);
      assert.ok(d.fixed.every((f) => f.packageName === 'curl' || f.packageName === 'libcurl4'));
      assert.equal(d.new.length, 0);
      const back = await s.request(
        'GET',
        `/api/v1/images/${first.imageId}/diff?from=${second.scanId}&to=${first.scanId}`,
        { token: viewer.token },
      );
      assert.equal((back.body as { new: unknown[] }).new.length, dropped);

      const fixed = await s.request('GET', `/api/v1/images/${first.imageId}/findings?state=fixed`, {
        token: viewer.token,
      });
      const rows = (fixed.body as { findings: { fixedAt: string; firstSeen: string }[] }).findings;
      assert.equal(rows.length, dropped);
      assert.ok(rows.every((x) => x.fixedAt === '2026-11-30T00:00:00.000Z'));

      // a scan of another image is refused as a diff end
      const other = await s.request('POST', '/api/v1/reports', {
        token: analyst.token,
        body: asImage(r, 'other:1'),
      });
      const otherScan = (other.body as { scanId: number }).scanId;
      const bad = await s.request('GET', `/api/v1/images/${first.imageId}/diff?from=${otherScan}`, {
        token: viewer.token,
      });
      assert.equal(bad.status, 400);
      assert.equal((bad.body as { error: { code: string } }).error.code, 'SCAN_NOT_OF_IMAGE');
      assert.equal((await s.request('GET', '/api/v1/scans/999999', { token: viewer.token })).status, 404);
    });

    it('refuses reports that break the schema, malformed JSON and oversized uploads with typed errors', async () => {
      const r = await demoReport();
      (r.findings[0] as { severity: string }).severity = 'SEVERE';
      const bad = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
      assert.equal(bad.status, 400);
      assert.equal((bad.body as { error: { code: string } }).error.code, 'INVALID_REPORT');
      const extra = await demoReport();
      (extra as unknown as Record<string, unknown>).unexpected = true;
      assert.equal(
        (await s.request('POST', '/api/v1/reports', { token: analyst.token, body: extra })).status,
        400,
      );
      const malformed = await s.request('POST', '/api/v1/reports', {
        token: analyst.token,
        raw: '{"schemaVersion": ',
      });
      assert.equal(malformed.status, 400);
      const text = await s.request('POST', '/api/v1/reports', {
        token: analyst.token,
        raw: '<report/>',
        contentType: 'application/xml',
      });
      assert.equal(text.status, 415);
      const huge = await demoReport();
      huge.warnings = Array.from({ length: 30000 }, (_, i) => ({
        code: 'X',
        message: `padding ${i} ${'x'.repeat(60)}`,
        input: null,
      }));
      const big = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: huge });
      assert.equal(big.status, 413);
      assert.equal((big.body as { error: { code: string } }).error.code, 'PAYLOAD_TOO_LARGE');
    });

    it('refuses every non-public route without a session or token (401)', async () => {
      let n = 0;
      for (const [p, ops] of Object.entries(s.openapi.paths))
        for (const [method, op] of Object.entries(ops)) {
          if (op['x-bulwark-access'] === 'public') continue;
          const url = p.replace(/\{[^}]+\}/g, '1');
          const r = await s.request(method.toUpperCase(), url, op.requestBody ? { body: {} } : {});
          assert.equal(r.status, 401, `${method} ${p} without credentials answered ${r.status}`);
          // an unknown token and a malformed header are refused the same way
          assert.equal((await s.request(method.toUpperCase(), url, { token: 'bwk_nottoken' })).status, 401);
          n++;
        }
      assert.ok(n >= 12, `${n} guarded operations`);
    });

    it('refuses a viewer token on admin and analyst routes (403), and a token beyond its scope', async () => {
      let n = 0;
      for (const [p, ops] of Object.entries(s.openapi.paths))
        for (const [method, op] of Object.entries(ops)) {
          if (op['x-bulwark-access'] !== 'admin' && op['x-bulwark-access'] !== 'analyst') continue;
          const url = p.replace(/\{[^}]+\}/g, '1');
          const r = await s.request(method.toUpperCase(), url, {
            token: viewer.token,
            ...(op.requestBody ? { body: {} } : {}),
          });
          assert.equal(r.status, 403, `${method} ${p} with a viewer token answered ${r.status}`);
          n++;
        }
      assert.ok(n >= 5);
      // an admin's read-only token cannot do admin work either
      const readOnly = await s.userWithToken('admin', ['read']);
      assert.equal((await s.request('GET', '/api/v1/users', { token: readOnly.token })).status, 403);
      assert.equal((await s.request('GET', '/api/v1/images', { token: readOnly.token })).status, 200);
      // and a viewer cannot mint itself a wider token
      const me = await s.signIn(viewer.username, viewer.password);
      const wider = await s.request('POST', '/api/v1/tokens', {
        cookie: me.cookie,
        csrf: me.csrf,
        body: { name: 'x', scopes: ['write'] },
      });
      assert.equal(wider.status, 403);
    });

    it('refuses expired and revoked tokens (401)', async () => {
      const short = await s.userWithToken('analyst', ['read'], 1);
      assert.equal((await s.request('GET', '/api/v1/images', { token: short.token })).status, 200);
      const saved = s.now;
      s.now += 2 * 86400_000;
      try {
        const r = await s.request('GET', '/api/v1/images', { token: short.token });
        assert.equal(r.status, 401);
      } finally {
        s.now = saved;
      }
      const a = await s.admin();
      assert.equal((await s.request('DELETE', `/api/v1/tokens/${short.tokenId}`, a)).status, 200);
      assert.equal((await s.request('GET', '/api/v1/images', { token: short.token })).status, 401);
    });

    it('gives SQL injection in every filter parameter no effect', async () => {
      const a = await s.admin();
      const before = (await s.request('GET', '/api/v1/images?limit=1000', { token: viewer.token })).body as {
        images: unknown[];
      };
      const adminTok = await s.userWithToken('admin');
      let n = 0;
      for (const [p, ops] of Object.entries(s.openapi.paths))
        for (const [method, op] of Object.entries(ops)) {
          if (method !== 'get') continue;
          for (const param of op.parameters ?? []) {
            if (param.in !== 'query') continue;
            for (const inj of INJECTIONS) {
              const url = `${p.replace(/\{[^}]+\}/g, '1')}?${param.name}=${encodeURIComponent(inj)}`;
              const r = await s.request('GET', url, { token: adminTok.token });
              assert.ok(
                r.status === 200 || r.status === 400 || r.status === 404,
                `${url}: ${r.status} ${r.text.slice(0, 200)}`,
              );
              if (r.status === 200 && p === '/api/v1/images')
                assert.equal((r.body as { images: unknown[] }).images.length, 0, `${url} matched images`);
              n++;
            }
          }
        }
      assert.ok(n >= 30, `${n} injection requests`);
      const afterwards = (await s.request('GET', '/api/v1/images?limit=1000', a)).body as {
        images: unknown[];
      };
      assert.deepEqual(afterwards.images, before.images);
      const users = await s.request('GET', '/api/v1/users', a);
      assert.ok((users.body as { users: unknown[] }).users.length >= 3);
    });

    it('signs in with an HttpOnly SameSite=Strict cookie and needs the CSRF token for writes', async () => {
      const me = await s.signIn('admin', ADMIN_PASSWORD);
      assert.match(me.setCookie, /HttpOnly/i);
      assert.match(me.setCookie, /SameSite=Strict/i);
      assert.doesNotMatch(me.setCookie, /Secure/i, 'plain HTTP: no Secure flag');
      assert.equal((await s.request('GET', '/api/v1/session', { cookie: me.cookie })).status, 200);
      const noCsrf = await s.request('POST', '/api/v1/tokens', {
        cookie: me.cookie,
        body: { name: 'x', scopes: ['read'] },
      });
      assert.equal(noCsrf.status, 403);
      assert.equal((noCsrf.body as { error: { code: string } }).error.code, 'CSRF');
      const wrongCsrf = await s.request('POST', '/api/v1/tokens', {
        cookie: me.cookie,
        csrf: 'x'.repeat(43),
        body: { name: 'x', scopes: ['read'] },
      });
      assert.equal(wrongCsrf.status, 403);
      const ok = await s.request('POST', '/api/v1/tokens', {
        cookie: me.cookie,
        csrf: me.csrf,
        body: { name: 'x', scopes: ['read'] },
      });
      assert.equal(ok.status, 201);
      assert.equal(
        (await s.request('DELETE', '/api/v1/session', { cookie: me.cookie, csrf: me.csrf })).status,
        200,
      );
      assert.equal((await s.request('GET', '/api/v1/session', { cookie: me.cookie })).status, 401);
      const wrong = await s.signIn('admin', 'not the password at all');
      assert.equal(wrong.reply.status, 401);
      const nobody = await s.signIn('nobody-here', 'not the password at all');
      assert.equal(nobody.reply.status, 401);
    });

    it('records sign-ins, refusals and changes in the audit log', async () => {
      const a = await s.admin();
      const log = await s.request('GET', '/api/v1/audit?limit=1000', a);
      assert.equal(log.status, 200);
      const entries = (log.body as { entries: { action: string; outcome: string }[] }).entries;
      const has = (action: string, outcome = 'ok') =>
        entries.some((e) => e.action === action && e.outcome === outcome);
      for (const action of ['user.create', 'session.create', 'token.create', 'report.ingest', 'token.revoke'])
        assert.ok(has(action), action);
      assert.ok(has('session.create', 'denied'));
      const denied = await s.request('GET', '/api/v1/audit?outcome=denied', a);
      assert.ok((denied.body as { entries: unknown[] }).entries.length >= 2);
      assert.equal((await s.request('GET', '/api/v1/audit', { token: viewer.token })).status, 403);
    });

    it('checked every response against the OpenAPI document', () => {
      assert.ok(s.checked > 100, `${s.checked} responses checked`);
    });
  });
}

apiSuite('SQLite', async () => ({ backend: { kind: 'sqlite' } }));

apiSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  return { backend: { kind: 'postgres', url: await cluster.newDatabase() }, done: () => cluster.stop() };
});
