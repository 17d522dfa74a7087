/**
 * Scans by reference against Debian's docker-registry on 127.0.0.1 with basic auth (htpasswd): the
 * credentials stored sealed through the API, the image pulled and scanned by the server's worker
 * with the CLI's registry, image and scan code, and stored as a scan.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RegistryClient } from '../../src/registry/index.js';
import { secretBox } from '../../src/server/crypto/sealed.js';
import { queueDefinitions, runDueSchedules, startWorking, tagMatcher } from '../../src/server/jobs/index.js';
import { openQueue } from '../../src/server/queue/index.js';
import { buildImage, execFileP, startRegistry, type RunningRegistry } from '../registry/helpers.js';
import { demoDbPath } from './fixtures.js';
import { TestServer } from './harness.js';

const ALPINE = {
  'etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n',
  'etc/alpine-release': '3.19.1\n',
  'lib/apk/db/installed':
    'C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nS:1\nI:1\nT:the musl c library\nU:https://musl.libc.org/\nL:MIT\no:musl\nm:x\nt:1\nc:y\n\n' +
    'C:Q1def=\nP:busybox\nV:1.36.1-r15\nA:x86_64\nS:1\nI:1\nT:busybox\nU:https://busybox.net/\nL:GPL-2.0-only\no:busybox\nm:x\nt:1\nc:y\n\n',
};

interface JobView {
  state: string;
  output: { scanId?: number; imageId?: number; message?: string } | null;
}

describe('scan by reference from a registry with basic auth', () => {
  let reg: RunningRegistry;
  let dir: string;
  let s: TestServer;
  const box = secretBox(randomBytes(32));

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-scans-'));
    const { stdout } = await execFileP('htpasswd', ['-Bbn', 'alice', 's3cret']);
    writeFileSync(path.join(dir, 'htpasswd'), stdout);
    reg = await startRegistry(
      ['auth:', '  htpasswd:', '    realm: bulwark-test', `    path: ${path.join(dir, 'htpasswd')}`].join(
        '\n',
      ),
    );
    const image = await buildImage([ALPINE]);
    const pusher = new RegistryClient({
      credentials: { get: async () => ({ username: 'alice', password: 's3cret' }) },
    });
    try {
      for (const l of image.layers) await pusher.pushBlob(`${reg.host}/team/app`, l.blob);
      await pusher.pushBlob(`${reg.host}/team/app`, image.config);
      for (const tag of ['v1', 'v2', 'dev'])
        await pusher.pushManifest(`${reg.host}/team/app`, tag, image.manifest, image.mediaType);
    } finally {
      pusher.close();
    }
    const vulnDbPath = await demoDbPath();
    s = await TestServer.startWithQueue({ kind: 'sqlite' }, { vulnDbPath, secretBox: box }, async (store) => {
      const queue = await openQueue({ store, queues: queueDefinitions(), pollingIntervalSeconds: 0.2 });
      await startWorking({
        store,
        queue,
        vulnDbPath,
        toolVersion: 'test',
        cacheDir: path.join(dir, 'cache'),
        secretBox: box,
      });
      return queue;
    });
  });
  after(async () => {
    await s?.close();
    await reg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function waitJob(token: string, id: string, until: string[]): Promise<JobView> {
    for (let i = 0; i < 600; i++) {
      const r = await s.request('GET', `/api/v1/jobs/${id}`, { token });
      const j = r.body as JobView;
      if (until.includes(j.state)) return j;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`job ${id} never reached ${until.join('/')}`);
  }

  it('stores credentials sealed, admin only, and never answers the secret', async () => {
    const analyst = await s.userWithToken('analyst');
    const body = { host: reg.host, username: 'alice', password: 's3cret' };
    assert.equal((await s.request('POST', '/api/v1/registries', { token: analyst.token, body })).status, 403);
    const admin = await s.userWithToken('admin');
    const put = await s.request('POST', '/api/v1/registries', { token: admin.token, body });
    assert.equal(put.status, 201, put.text);
    assert.ok(!put.text.includes('s3cret'));
    const again = await s.request('POST', '/api/v1/registries', { token: admin.token, body });
    assert.equal(again.status, 200, 'replaced');
    const list = await s.request('GET', '/api/v1/registries', { token: admin.token });
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes('s3cret'));
    assert.deepEqual(
      (list.body as { registries: { host: string; kind: string }[] }).registries.map((r) => [r.host, r.kind]),
      [[reg.host, 'password']],
    );
    const rows = await s.store.db.selectFrom('registry_credentials').select('secret').execute();
    assert.equal(rows.length, 1);
    assert.ok(!rows[0]!.secret.includes('s3cret') && rows[0]!.secret.startsWith('v1:'));
    for (const bad of [
      { host: reg.host },
      { host: reg.host, username: 'a', password: 'x', token: 'y' },
      { host: 'a/../../b', password: 'x', username: 'a' },
      { host: reg.host, password: 'x' },
    ]) {
      const r = await s.request('POST', '/api/v1/registries', { token: admin.token, body: bad });
      assert.equal(r.status, 400, `${JSON.stringify(bad)}: ${r.text}`);
    }
    const audit = await s.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', 'like', 'registry.%')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['registry.create', 'registry.replace'],
    );
    assert.ok(audit.every((a) => !a.detail.includes('s3cret')));
  });

  it('pulls the image with the stored credentials, scans it and stores the scan', async () => {
    const analyst = await s.userWithToken('analyst');
    const ref = `${reg.host}/team/app:v1`;
    const r = await s.request('POST', '/api/v1/scans', { token: analyst.token, body: { reference: ref } });
    assert.equal(r.status, 202, r.text);
    const j = await waitJob(analyst.token, (r.body as { jobId: string }).jobId, [
      'completed',
      'failed',
      'retry',
    ]);
    assert.equal(j.state, 'completed', JSON.stringify(j));
    const scan = await s.request('GET', `/api/v1/images/${j.output!.imageId}`, { token: analyst.token });
    assert.equal(scan.status, 200, scan.text);
    const img = scan.body as { repository: string; tag: string };
    assert.equal(img.repository, `${reg.host}/team/app`);
    assert.equal(img.tag, 'v1');
    const stored = await s.store.db
      .selectFrom('scans')
      .select(['report', 'uploaded_by'])
      .where('id', '=', j.output!.scanId!)
      .executeTakeFirstOrThrow();
    const report = JSON.parse(stored.report) as { packages: { name: string }[]; os: { family: string } };
    assert.deepEqual(report.packages.map((p) => p.name).sort(), ['busybox', 'musl']);
    assert.equal(report.os.family, 'alpine');
    assert.equal(stored.uploaded_by, analyst.id);
  });

  it('refuses a bad reference, and a viewer', async () => {
    const analyst = await s.userWithToken('analyst');
    const bad = await s.request('POST', '/api/v1/scans', {
      token: analyst.token,
      body: { reference: 'UPPER/Case::x' },
    });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { error: { code: string } }).error.code, 'INVALID_REFERENCE');
    const viewer = await s.userWithToken('viewer');
    const r = await s.request('POST', '/api/v1/scans', {
      token: viewer.token,
      body: { reference: 'alpine' },
    });
    assert.equal(r.status, 403);
  });

  it('without its credentials the pull fails with the registry’s refusal, and is retried', async () => {
    const admin = await s.userWithToken('admin');
    const list = await s.request('GET', '/api/v1/registries', { token: admin.token });
    const [{ id }] = (list.body as { registries: { id: number }[] }).registries as [{ id: number }];
    assert.equal((await s.request('DELETE', `/api/v1/registries/${id}`, { token: admin.token })).status, 200);
    assert.equal((await s.request('DELETE', `/api/v1/registries/${id}`, { token: admin.token })).status, 404);
    const r = await s.request('POST', '/api/v1/scans', {
      token: admin.token,
      body: { reference: `${reg.host}/team/app:v1` },
    });
    const j = await waitJob(admin.token, (r.body as { jobId: string }).jobId, [
      'retry',
      'failed',
      'completed',
    ]);
    assert.equal(j.state, 'retry');
    assert.match(j.output!.message!, /credentials/);
  });

  it('runs schedules when due (the clock moved): an image, and the matching tags of a repository', async () => {
    const admin = await s.userWithToken('admin');
    const creds = { host: reg.host, username: 'alice', password: 's3cret' };
    assert.equal(
      (await s.request('POST', '/api/v1/registries', { token: admin.token, body: creds })).status,
      201,
    );
    const analyst = await s.userWithToken('analyst');
    const post = (body: object) => s.request('POST', '/api/v1/schedules', { token: analyst.token, body });
    const img = await post({ image: `${reg.host}/team/app:dev`, cron: '0 3 * * *' });
    assert.equal(img.status, 201, img.text);
    assert.equal((img.body as { nextRunAt: string }).nextRunAt, '2026-12-02T03:00:00.000Z');
    const repo = await post({ repository: `${reg.host}/team/app`, tags: 'v*', cron: '0 3 * * *' });
    assert.equal(repo.status, 201, repo.text);
    for (const [body, code] of [
      [{ image: 'alpine', cron: 'at three' }, 'INVALID_CRON'],
      [{ image: 'alpine', cron: '99 * * * *' }, 'INVALID_CRON'],
      [{ repository: `${reg.host}/team/app`, tags: '/(a+)+/', cron: '0 3 * * *' }, 'INVALID_TAG_PATTERN'],
      [{ repository: `${reg.host}/team/app:v1`, cron: '0 3 * * *' }, 'INVALID_REFERENCE'],
      [{ image: 'alpine', repository: 'x/y', cron: '0 3 * * *' }, 'INVALID_REQUEST'],
    ] as const) {
      const r = await post(body);
      assert.equal(r.status, 400, `${JSON.stringify(body)} ${r.text}`);
      assert.equal((r.body as { error: { code: string } }).error.code, code, JSON.stringify(body));
    }
    const viewer = await s.userWithToken('viewer');
    assert.equal((await s.request('GET', '/api/v1/schedules', { token: viewer.token })).status, 403);

    const clock = () => new Date(s.now);
    const ctx = { store: s.store, queue: s.queue!, secretBox: box, clock };
    assert.deepEqual(await runDueSchedules(ctx), [], 'nothing due yet');
    s.now = Date.parse('2026-12-02T03:00:05Z');
    // two server processes looking at once: each due run is taken by one of them
    const runs = (await Promise.all([runDueSchedules(ctx), runDueSchedules(ctx)])).flat();
    assert.equal(runs.length, 2, JSON.stringify(runs));
    const byId = new Map(runs.map((r) => [r.scheduleId, r]));
    const imgRun = byId.get((img.body as { id: number }).id)!;
    const repoRun = byId.get((repo.body as { id: number }).id)!;
    assert.equal(repoRun.error, undefined);
    assert.equal(imgRun.queued.length, 1);
    assert.equal(repoRun.queued.length + repoRun.skipped.length, 2, 'v1 and v2, not dev');
    assert.deepEqual(await runDueSchedules(ctx), [], 'not again before the next run');
    for (const id of [...imgRun.queued, ...repoRun.queued]) {
      const j = await waitJob(analyst.token, id, ['completed', 'failed', 'retry']);
      assert.equal(j.state, 'completed', JSON.stringify(j));
    }
    const images = await s.request(
      'GET',
      `/api/v1/images?repository=${encodeURIComponent(`${reg.host}/team/app`)}`,
      {
        token: analyst.token,
      },
    );
    const tags = (images.body as { images: { tag: string }[] }).images.map((i) => i.tag).sort();
    assert.deepEqual(tags, ['dev', 'v1', 'v2']);
    const list = await s.request('GET', '/api/v1/schedules', { token: analyst.token });
    const listed = (list.body as { schedules: { nextRunAt: string; lastRunAt: string }[] }).schedules;
    assert.ok(
      listed.every(
        (x) => x.nextRunAt === '2026-12-03T03:00:00.000Z' && x.lastRunAt === '2026-12-02T03:00:05.000Z',
      ),
    );
    const del = await s.request('DELETE', `/api/v1/schedules/${(img.body as { id: number }).id}`, {
      token: analyst.token,
    });
    assert.equal(del.status, 200);
    s.now = Date.parse('2026-12-03T03:00:01Z');
    const third = await runDueSchedules(ctx);
    assert.deepEqual(
      third.map((r) => r.scheduleId),
      [(repo.body as { id: number }).id],
    );
  });
});

describe('tag patterns', () => {
  it('matches all, globs and regexes, and refuses a regex that backtracks exponentially', () => {
    const tags = ['v1', 'v1.2', 'v2', 'dev', 'latest'];
    assert.deepEqual(tags.filter(tagMatcher('all')), tags);
    assert.deepEqual(tags.filter(tagMatcher('v1*')), ['v1', 'v1.2']);
    assert.deepEqual(tags.filter(tagMatcher('v?')), ['v1', 'v2']);
    assert.deepEqual(tags.filter(tagMatcher('/v[0-9]+(\\.[0-9]+)?/')), ['v1', 'v1.2', 'v2']);
    for (const bad of ['/(a+)+$/', '/(a*)*/', '/(.*a){3}/', '/(a)\\1/', 'a/b', '/[/', 'x'.repeat(200)])
      assert.throws(() => tagMatcher(bad), { code: 'USAGE' }, bad);
  });
});

describe('registry credentials without BULWARK_SECRET_KEY', () => {
  it('answers 422 SECRET_KEY_MISSING rather than store them in the clear', async () => {
    const s = await TestServer.start({ kind: 'sqlite' });
    try {
      const a = await s.userWithToken('admin');
      const r = await s.request('POST', '/api/v1/registries', {
        token: a.token,
        body: { host: 'registry.example:5000', username: 'u', password: 'p' },
      });
      assert.equal(r.status, 422);
      assert.equal((r.body as { error: { code: string } }).error.code, 'SECRET_KEY_MISSING');
    } finally {
      await s.close();
    }
  });
});
