import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queueDefinitions, startWorking } from '../../src/server/jobs/index.js';
import { openQueue } from '../../src/server/queue/index.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoDbPath, demoReport } from './fixtures.js';
import { TestServer, type Backend } from './harness.js';

interface JobView {
  id: string;
  name: string;
  state: string;
  output: { batches?: string[]; images?: number } | null;
  progress?: { batches: number; completed: number; failed: number; pending: number; changed: number };
}

async function startServer(backend: Backend, dbPath: string) {
  return TestServer.startWithQueue(backend, { vulnDbPath: dbPath }, async (store) => {
    const queue = await openQueue({
      store,
      ...(backend.kind === 'postgres' ? { databaseUrl: backend.url } : {}),
      queues: queueDefinitions(),
      pollingIntervalSeconds: 0.5,
    });
    await startWorking({ store, queue, vulnDbPath: dbPath, toolVersion: 'test', batchSize: 2 });
    return queue;
  });
}

function asyncRematchSuite(
  name: string,
  backend: () => Promise<{ backend: Backend; done: () => Promise<void> }>,
) {
  describe(`re-match as a job on ${name}`, () => {
    let s: TestServer;
    let done: () => Promise<void>;
    before(async () => {
      const b = await backend();
      done = b.done;
      s = await startServer(b.backend, await demoDbPath());
    });
    after(async () => {
      await s.close();
      await done();
    });

    it('answers 202 with a job id, splits the images into batches and reports their progress', async () => {
      const analyst = await s.userWithToken('analyst');
      const base = await demoReport();
      // five images; two scanned "with an older database" (one finding missing), so they change
      const changed = new Set<number>();
      for (let i = 0; i < 5; i++) {
        const r = asImage(base, `queued:${i}`);
        if (i % 2 === 1) r.findings.shift();
        const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
        assert.equal(up.status, 201, up.text);
        if (i % 2 === 1) changed.add((up.body as { imageId: number }).imageId);
      }
      const res = await s.request('POST', '/api/v1/rematch?async=true', { token: analyst.token, body: {} });
      assert.equal(res.status, 202, res.text);
      const { jobId } = res.body as { jobId: string };
      let j: JobView | undefined;
      for (let i = 0; i < 300; i++) {
        const r = await s.request('GET', `/api/v1/jobs/${jobId}`, { token: analyst.token });
        assert.equal(r.status, 200, r.text);
        j = r.body as JobView;
        if (j.state === 'failed' || (j.progress && j.progress.pending === 0)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(j!.state, 'completed', JSON.stringify(j));
      assert.equal(j!.name, 'rematch');
      assert.equal(j!.output!.images, 5);
      assert.deepEqual(j!.progress, {
        batches: 3,
        completed: 3,
        failed: 0,
        pending: 0,
        changed: changed.size,
      });
      // each changed image got its new scan
      for (const id of changed) {
        const scans = await s.request('GET', `/api/v1/images/${id}/scans`, { token: analyst.token });
        assert.equal((scans.body as { scans: unknown[] }).scans.length, 2);
      }
      // the batches are jobs too
      const batch = await s.request('GET', `/api/v1/jobs/${j!.output!.batches![0]}`, {
        token: analyst.token,
      });
      assert.equal((batch.body as JobView).name, 'rematch-batch');
      assert.equal((batch.body as JobView).state, 'completed');
    });

    it('refuses a viewer, and answers 404 for a job it does not have', async () => {
      const viewer = await s.userWithToken('viewer');
      const r = await s.request('POST', '/api/v1/rematch?async=true', { token: viewer.token, body: {} });
      assert.equal(r.status, 403);
      for (const id of ['00000000-0000-4000-8000-000000000000', 'nope', "1' or '1'='1"]) {
        const g = await s.request('GET', `/api/v1/jobs/${encodeURIComponent(id)}`, { token: viewer.token });
        assert.equal(g.status, 404, g.text);
      }
      assert.equal((await s.request('GET', '/api/v1/jobs/00000000-0000-4000-8000-000000000000')).status, 401);
    });

    it('keeps the synchronous re-match working', async () => {
      const analyst = await s.userWithToken('analyst');
      const r = await s.request('POST', '/api/v1/rematch', { token: analyst.token, body: {} });
      assert.equal(r.status, 200, r.text);
      assert.equal((r.body as { images: unknown[] }).images.length, 5);
    });
  });
}

asyncRematchSuite('SQLite', async () => ({ backend: { kind: 'sqlite' }, done: async () => undefined }));

asyncRematchSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  return { backend: { kind: 'postgres', url: await cluster.newDatabase() }, done: () => cluster.stop() };
});

describe('a server without a job queue', () => {
  it('answers 503 NO_QUEUE for async work', async () => {
    const s = await TestServer.start({ kind: 'sqlite' });
    try {
      const a = await s.userWithToken('analyst');
      const r = await s.request('POST', '/api/v1/rematch?async=true', { token: a.token, body: {} });
      assert.equal(r.status, 503);
      assert.equal((r.body as { error: { code: string } }).error.code, 'NO_QUEUE');
    } finally {
      await s.close();
    }
  });
});
