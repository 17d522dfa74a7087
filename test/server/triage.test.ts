import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveTriage, type Decision } from '../../src/server/store/triage.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoReport } from './fixtures.js';
import { TestServer, type Backend } from './harness.js';

function decision(over: Partial<Decision>): Decision {
  return {
    id: 1,
    vuln_id: 'CVE-1',
    package_name: null,
    purl: null,
    scope: 'everywhere',
    image_id: null,
    repository: null,
    status: 'not_affected',
    justification: 'component_not_present',
    impact_statement: null,
    action_statement: null,
    owner: null,
    reason: null,
    expires_at: null,
    created_by: null,
    author: 'a',
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    deleted_at: null,
    ...over,
  };
}

describe('resolveTriage precedence', () => {
  const t = { vulnId: 'CVE-1', packageName: 'curl', purl: 'pkg:deb/debian/curl@7.74.0?arch=amd64' };
  it('prefers image over repository over everywhere, whatever the order', () => {
    const all = [
      decision({ id: 3, scope: 'image', image_id: 1 }),
      decision({ id: 1, scope: 'everywhere' }),
      decision({ id: 2, scope: 'repository', repository: 'r' }),
    ];
    assert.equal(resolveTriage(all, t)?.id, 3);
    assert.equal(resolveTriage(all.slice(1), t)?.id, 2);
    assert.equal(resolveTriage(all.slice(1, 2), t)?.id, 1);
  });
  it('within a scope prefers purl@version > purl > name > any package, then the newest', () => {
    const all = [
      decision({ id: 1 }),
      decision({ id: 2, package_name: 'curl' }),
      decision({ id: 3, purl: 'pkg:deb/debian/curl' }),
      decision({ id: 4, purl: 'pkg:deb/debian/curl@7.74.0' }),
    ];
    assert.equal(resolveTriage(all, t)?.id, 4);
    assert.equal(resolveTriage(all.slice(0, 3), t)?.id, 3);
    assert.equal(resolveTriage(all.slice(0, 2), t)?.id, 2);
    assert.equal(resolveTriage([decision({ id: 1 }), decision({ id: 9 })], t)?.id, 9);
  });
  it('does not apply to another package, version or vulnerability; aliases count', () => {
    assert.equal(resolveTriage([decision({ package_name: 'wget' })], t), undefined);
    assert.equal(resolveTriage([decision({ purl: 'pkg:deb/debian/curl@7.88.1' })], t), undefined);
    assert.equal(resolveTriage([decision({ vuln_id: 'CVE-2' })], t), undefined);
    assert.equal(resolveTriage([decision({ vuln_id: 'CVE-2' })], { ...t, aliases: ['CVE-2'] })?.id, 1);
  });
});

interface FindingView {
  vulnId: string;
  packageKey: string;
  triage: { id: number; status: string; scope: string; expired: boolean; expiresAt: string | null } | null;
}

function triageSuite(name: string, backend: () => Promise<{ backend: Backend; done?: () => Promise<void> }>) {
  describe(`triage API on ${name}`, () => {
    let s: TestServer;
    let done: (() => Promise<void>) | undefined;
    let analyst: Awaited<ReturnType<TestServer['userWithToken']>>;
    let viewer: Awaited<ReturnType<TestServer['userWithToken']>>;
    let admin: Awaited<ReturnType<TestServer['userWithToken']>>;
    let imageId: number;
    let otherId: number;
    let repository: string;

    before(async () => {
      const b = await backend();
      done = b.done;
      s = await TestServer.start(b.backend, { maxReportBytes: 4 * 1024 * 1024 });
      analyst = await s.userWithToken('analyst');
      viewer = await s.userWithToken('viewer');
      // a token, not the admin session: a test moves the clock past the session's 12 hours
      admin = await s.userWithToken('admin');
      const r = await demoReport();
      const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
      assert.equal(up.status, 201, up.text);
      imageId = (up.body as { imageId: number }).imageId;
      const up2 = await s.request('POST', '/api/v1/reports', {
        token: analyst.token,
        body: asImage(r, 'demo:other'),
      });
      assert.equal(up2.status, 201, up2.text);
      otherId = (up2.body as { imageId: number }).imageId;
      const img = await s.request('GET', `/api/v1/images/${imageId}`, { token: viewer.token });
      repository = (img.body as { repository: string }).repository;
    });
    after(async () => {
      await s?.close();
      await done?.();
    });

    const findings = async (id: number, q = '') => {
      const r = await s.request('GET', `/api/v1/images/${id}/findings${q}`, { token: viewer.token });
      assert.equal(r.status, 200, r.text);
      return (r.body as { findings: FindingView[] }).findings;
    };
    const post = (body: unknown, token = analyst.token) =>
      s.request('POST', '/api/v1/triage', { token, body });

    it('refuses incomplete or inconsistent decisions with typed 400s, and viewers with 403', async () => {
      const cases: [unknown, string][] = [
        [{ vulnId: 'CVE-2022-1664', status: 'not_affected' }, 'JUSTIFICATION_REQUIRED'],
        [{ vulnId: 'CVE-2022-1664', status: 'not_affected', justification: 'because' }, 'INVALID_REQUEST'],
        [{ vulnId: 'CVE-2022-1664', status: 'affected' }, 'ACTION_REQUIRED'],
        [
          { vulnId: 'CVE-2022-1664', status: 'accepted_risk', owner: 'x', reason: 'y' },
          'ACCEPTANCE_INCOMPLETE',
        ],
        [
          {
            vulnId: 'CVE-2022-1664',
            status: 'accepted_risk',
            owner: 'x',
            reason: 'y',
            expiresAt: '2020-01-01T00:00:00Z',
          },
          'EXPIRY_PAST',
        ],
        [{ vulnId: 'CVE-2022-1664', status: 'fixed', scope: 'image' }, 'SCOPE_TARGET'],
        [{ vulnId: 'CVE-2022-1664', status: 'fixed', scope: 'image', imageId: 999999 }, 'UNKNOWN_IMAGE'],
        [{ vulnId: 'CVE-2022-1664', status: 'fixed', repository: 'x' }, 'SCOPE_TARGET'],
        [{ vulnId: 'CVE-2022-1664', status: 'fixed', purl: 'not-a-purl' }, 'INVALID_REQUEST'],
        [{ vulnId: 'CVE-2022-1664', status: 'wontfix' }, 'INVALID_REQUEST'],
        [{ vulnId: 'CVE-2022-1664', status: 'fixed', extra: 1 }, 'INVALID_REQUEST'],
      ];
      for (const [body, code] of cases) {
        const r = await post(body);
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
        assert.equal((r.body as { error: { code: string } }).error.code, code, JSON.stringify(body));
      }
      const v = await post({ vulnId: 'CVE-2022-1664', status: 'fixed' }, viewer.token);
      assert.equal(v.status, 403);
      assert.equal((await s.request('GET', '/api/v1/triage')).status, 401);
      const none = await s.request('GET', '/api/v1/triage', { token: viewer.token });
      assert.deepEqual((none.body as { decisions: unknown[] }).decisions, []);
    });

    it('annotates findings, lets the most specific scope win, and filters by triage', async () => {
      const before = await findings(imageId);
      const dpkg = before.find((f) => f.vulnId === 'CVE-2022-1664')!;
      assert.ok(dpkg, 'the demo image has dpkg CVE-2022-1664');
      assert.equal(dpkg.triage, null);

      const everywhere = await post({
        vulnId: 'CVE-2022-1664',
        status: 'under_investigation',
        comment: 'looking at it',
      });
      assert.equal(everywhere.status, 201, everywhere.text);
      const eid = (everywhere.body as { id: number }).id;
      const repo = await post({
        vulnId: 'CVE-2022-1664',
        packageName: 'dpkg',
        status: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        scope: 'repository',
        repository,
      });
      assert.equal(repo.status, 201, repo.text);
      const rid = (repo.body as { id: number }).id;
      const img = await post({
        vulnId: 'CVE-2022-1664',
        purl: 'pkg:deb/debian/dpkg',
        status: 'affected',
        actionStatement: 'upgrade dpkg to 1.20.10',
        scope: 'image',
        imageId,
      });
      assert.equal(img.status, 201, img.text);
      const iid = (img.body as { id: number }).id;

      const mine = (await findings(imageId)).find((f) => f.vulnId === 'CVE-2022-1664')!;
      assert.deepEqual(
        [mine.triage?.id, mine.triage?.scope, mine.triage?.status],
        [iid, 'image', 'affected'],
      );
      const other = (await findings(otherId)).find((f) => f.vulnId === 'CVE-2022-1664')!;
      assert.deepEqual([other.triage?.id, other.triage?.status], [rid, 'not_affected']);

      // not_affected is not open; affected is
      assert.ok((await findings(imageId, '?triage=open')).some((f) => f.vulnId === 'CVE-2022-1664'));
      assert.ok(!(await findings(otherId, '?triage=open')).some((f) => f.vulnId === 'CVE-2022-1664'));
      const na = await findings(otherId, '?triage=not_affected');
      assert.deepEqual(
        na.map((f) => f.vulnId),
        ['CVE-2022-1664'],
      );
      const untriaged = await findings(otherId, '?triage=untriaged');
      assert.equal(untriaged.length, before.length - 1);

      // withdrawing the image decision falls back to the repository's
      const del = await s.request('DELETE', `/api/v1/triage/${iid}`, { token: analyst.token });
      assert.equal(del.status, 200, del.text);
      assert.equal((await s.request('GET', `/api/v1/triage/${iid}`, { token: viewer.token })).status, 404);
      const now = (await findings(imageId)).find((f) => f.vulnId === 'CVE-2022-1664')!;
      assert.equal(now.triage?.id, rid);
      // and the repository's to the global one
      assert.equal(
        (await s.request('DELETE', `/api/v1/triage/${rid}`, { token: analyst.token })).status,
        200,
      );
      assert.equal((await findings(imageId)).find((f) => f.vulnId === 'CVE-2022-1664')!.triage?.id, eid);

      const comments = await s.request('GET', `/api/v1/triage/${eid}/comments`, { token: viewer.token });
      assert.deepEqual(
        (comments.body as { comments: { body: string }[] }).comments.map((c) => c.body),
        ['looking at it'],
      );
      assert.equal(
        (await s.request('DELETE', `/api/v1/triage/${eid}`, { token: analyst.token })).status,
        200,
      );
    });

    it('reopens an accepted risk when it expires, by the server clock', async () => {
      const expiresAt = new Date(s.now + 2 * 86400_000).toISOString();
      const r = await post({
        vulnId: 'DSA-5197-1',
        packageName: 'curl',
        status: 'accepted_risk',
        owner: 'team-web',
        reason: 'curl is only used at build time',
        expiresAt,
      });
      assert.equal(r.status, 201, r.text);
      const id = (r.body as { id: number; expired: boolean }).id;
      assert.equal((r.body as { expired: boolean }).expired, false);
      const pick = (fs: FindingView[]) =>
        fs.find((f) => f.vulnId === 'DSA-5197-1' && f.packageKey.includes('/curl '));
      assert.equal(pick(await findings(imageId, '?triage=open')), undefined);
      assert.equal(pick(await findings(imageId, '?triage=accepted_risk'))?.triage?.id, id);
      // libcurl4 has the same advisory and is not covered by a decision for curl
      assert.ok(
        (await findings(imageId, '?triage=open')).some(
          (f) => f.vulnId === 'DSA-5197-1' && f.packageKey.includes('/libcurl4 '),
        ),
      );

      s.now += 3 * 86400_000;
      const open = pick(await findings(imageId, '?triage=open'));
      assert.equal(open?.triage?.id, id);
      assert.equal(open?.triage?.expired, true);
      assert.equal(pick(await findings(imageId, '?triage=expired'))?.triage?.id, id);
      const d = await s.request('GET', `/api/v1/triage/${id}`, { token: viewer.token });
      assert.equal((d.body as { expired: boolean }).expired, true);

      // extending it closes the finding again; a past expiry is refused
      const past = await s.request('PATCH', `/api/v1/triage/${id}`, {
        token: analyst.token,
        body: { expiresAt: new Date(s.now - 1000).toISOString() },
      });
      assert.equal(past.status, 400);
      const ext = await s.request('PATCH', `/api/v1/triage/${id}`, {
        token: analyst.token,
        body: { expiresAt: new Date(s.now + 30 * 86400_000).toISOString() },
      });
      assert.equal(ext.status, 200, ext.text);
      assert.equal(pick(await findings(imageId, '?triage=open')), undefined);

      // switching status drops the acceptance fields
      const sw = await s.request('PATCH', `/api/v1/triage/${id}`, {
        token: analyst.token,
        body: { status: 'not_affected', justification: 'component_not_present' },
      });
      assert.equal(sw.status, 200, sw.text);
      const b = sw.body as { owner: unknown; expiresAt: unknown; justification: string };
      assert.deepEqual([b.owner, b.expiresAt, b.justification], [null, null, 'component_not_present']);
      const bad = await s.request('PATCH', `/api/v1/triage/${id}`, {
        token: analyst.token,
        body: { status: 'affected' },
      });
      assert.equal((bad.body as { error: { code: string } }).error.code, 'ACTION_REQUIRED');
    });

    it('keeps an append-only comment thread and audits every change', async () => {
      const r = await post({ vulnId: 'CVE-2022-1664', status: 'fixed', scope: 'image', imageId: otherId });
      const id = (r.body as { id: number }).id;
      for (const body of ['first', 'second'])
        assert.equal(
          (await s.request('POST', `/api/v1/triage/${id}/comments`, { token: analyst.token, body: { body } }))
            .status,
          201,
        );
      assert.equal(
        (
          await s.request('POST', `/api/v1/triage/${id}/comments`, {
            token: viewer.token,
            body: { body: 'x' },
          })
        ).status,
        403,
      );
      assert.equal(
        (
          await s.request('POST', `/api/v1/triage/${id}/comments`, {
            token: analyst.token,
            body: { body: '' },
          })
        ).status,
        400,
      );
      const c = await s.request('GET', `/api/v1/triage/${id}/comments`, { token: viewer.token });
      const thread = (c.body as { comments: { body: string; author: string }[] }).comments;
      assert.deepEqual(
        thread.map((x) => x.body),
        ['first', 'second'],
      );
      assert.equal(thread[0]!.author, analyst.username);
      await assert.rejects(
        s.store.db.updateTable('triage_comments').set({ body: 'rewritten' }).execute(),
        /append-only/,
      );
      await assert.rejects(s.store.db.deleteFrom('triage_comments').execute(), /append-only/);

      const log = await s.request('GET', '/api/v1/audit?limit=200', { token: admin.token });
      const actions = (log.body as { entries: { action: string; target: string; actor: string }[] }).entries
        .filter((e) => e.target === `triage:${id}`)
        .map((e) => e.action)
        .sort();
      assert.deepEqual(actions, ['triage.comment', 'triage.comment', 'triage.create']);
      const all = (log.body as { entries: { action: string }[] }).entries.map((e) => e.action);
      for (const x of ['triage.update', 'triage.delete']) assert.ok(all.includes(x), x);
    });

    it('treats hostile query values as data', async () => {
      for (const v of ["' OR '1'='1", "x'; DROP TABLE triage_decisions; --"]) {
        const r = await s.request('GET', `/api/v1/triage?vulnId=${encodeURIComponent(v)}`, {
          token: viewer.token,
        });
        assert.equal(r.status, 200);
        assert.deepEqual((r.body as { decisions: unknown[] }).decisions, []);
      }
      assert.equal(
        (await s.request('GET', `/api/v1/images/${imageId}/findings?triage=bogus`, { token: viewer.token }))
          .status,
        400,
      );
    });
  });
}

triageSuite('SQLite', async () => ({ backend: { kind: 'sqlite' } }));
triageSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  const url = await cluster.newDatabase();
  return { backend: { kind: 'postgres', url }, done: () => cluster.stop() };
});
