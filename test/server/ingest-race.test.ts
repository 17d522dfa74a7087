/**
 * Known bugs of issue #11, fixed: concurrent uploads of one report (PostgreSQL answered 500 on
 * the unique constraint) and body coercion ("5" accepted where a number is required).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { ingestReport } from '../../src/server/store/ingest.js';
import { asImage, demoReport, laterScan } from './fixtures.js';
import { TestServer, type Backend } from './harness.js';

function raceSuite(name: string, backend: () => Promise<{ backend: Backend; done?: () => Promise<void> }>) {
  describe(`concurrent uploads and body types on ${name}`, () => {
    let s: TestServer;
    let done: (() => Promise<void>) | undefined;
    let token: string;
    before(async () => {
      const b = await backend();
      done = b.done;
      s = await TestServer.start(b.backend);
      token = (await s.userWithToken('analyst')).token;
    });
    after(async () => {
      await s?.close();
      await done?.();
    });

    it('answers concurrent uploads of one report as sequential ones: one 201, the rest 200', async () => {
      const r = asImage(await demoReport(), 'race:1');
      const text = JSON.stringify(r);
      const replies = await Promise.all(
        Array.from({ length: 8 }, () => s.request('POST', '/api/v1/reports', { token, raw: text })),
      );
      const statuses = replies.map((x) => x.status).sort();
      assert.deepEqual(
        statuses,
        [200, 200, 200, 200, 200, 200, 200, 201],
        replies.map((x) => x.text).join('\n'),
      );
      const ids = new Set(replies.map((x) => (x.body as { scanId: number }).scanId));
      assert.equal(ids.size, 1);
      const scans = await s.store.db
        .selectFrom('scans')
        .innerJoin('images', 'images.id', 'scans.image_id')
        .select('scans.id')
        .where('images.tag', '=', '1')
        .where('images.repository', 'like', '%race')
        .execute();
      assert.equal(scans.length, 1);
      const findings = await s.store.db
        .selectFrom('findings')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('scan_id', '=', scans[0]!.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(findings.n), r.findings.length);
    });

    it('answers concurrent ingests of one report in the store as duplicates, not conflicts', async () => {
      const r = asImage(await demoReport(), 'race:4');
      for (let round = 0; round < 3; round++) {
        const one = laterScan(r, `2026-12-1${round}T00:00:00.000Z`, () => false);
        const results = await Promise.all(Array.from({ length: 8 }, () => ingestReport(s.store, one)));
        assert.deepEqual(results.map((x) => x.duplicate).sort(), [
          false,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
        ]);
        assert.equal(new Set(results.map((x) => x.scanId)).size, 1);
      }
    });

    it('takes concurrent different scans of one image without a lost history update', async () => {
      const base = asImage(await demoReport(), 'race:2');
      const gone = (f: { package: { name: string } }) => f.package.name === 'liblog4j2-java';
      const uploads = [
        base,
        laterScan(base, '2026-12-02T00:00:00.000Z', gone),
        laterScan(base, '2026-12-03T00:00:00.000Z', () => false),
        laterScan(base, '2026-12-04T00:00:00.000Z', gone),
      ];
      const replies = await Promise.all(
        uploads.map((body) => s.request('POST', '/api/v1/reports', { token, body })),
      );
      for (const x of replies) assert.equal(x.status, 201, x.text);
      const imageId = (replies[0]!.body as { imageId: number }).imageId;
      const states = await s.store.db
        .selectFrom('finding_state')
        .selectAll()
        .where('image_id', '=', imageId)
        .execute();
      // whatever order they ran in, the latest scan (12-04, without log4j) decides what is open
      const fixed = states.filter((x) => x.fixed_at !== null);
      assert.equal(
        fixed.length,
        new Set(base.findings.filter(gone).map((f) => f.id + f.package.location)).size,
      );
      for (const f of states.filter((x) => x.fixed_at === null))
        assert.equal(f.last_seen, '2026-12-04T00:00:00.000Z');
    });

    it('refuses a body value of the wrong type (no coercion of bodies) but coerces querystrings', async () => {
      const u = await s.userWithToken('viewer');
      const me = await s.signIn(u.username, u.password);
      const wrong = await s.request('POST', '/api/v1/tokens', {
        cookie: me.cookie,
        csrf: me.csrf,
        body: { name: 'x', scopes: ['read'], expiresInDays: '5' },
      });
      assert.equal(wrong.status, 400, wrong.text);
      assert.equal((wrong.body as { error: { code: string } }).error.code, 'INVALID_REQUEST');
      const right = await s.request('POST', '/api/v1/tokens', {
        cookie: me.cookie,
        csrf: me.csrf,
        body: { name: 'x', scopes: ['read'], expiresInDays: 5 },
      });
      assert.equal(right.status, 201, right.text);
      // a report whose finding count is a string is not a report
      const r = asImage(await demoReport(), 'race:3');
      (r.summary as unknown as { findings: unknown }).findings = String(r.summary.findings);
      const bad = await s.request('POST', '/api/v1/reports', { token, body: r });
      assert.equal(bad.status, 400, bad.text);
      assert.equal((bad.body as { error: { code: string } }).error.code, 'INVALID_REPORT');
      // querystrings are text: "2" is still the integer 2 there
      const list = await s.request('GET', '/api/v1/images?limit=2&offset=0', { token });
      assert.equal(list.status, 200, list.text);
      const wrongQuery = await s.request('GET', '/api/v1/images?limit=two', { token });
      assert.equal(wrongQuery.status, 400);
    });
  });
}

raceSuite('SQLite', async () => ({ backend: { kind: 'sqlite' } }));

raceSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  return { backend: { kind: 'postgres', url: await cluster.newDatabase() }, done: () => cluster.stop() };
});
