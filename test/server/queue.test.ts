import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openQueue, retryDelaySeconds, type JobInfo, type JobQueue } from '../../src/server/queue/index.js';
import { openStore, type Store } from '../../src/server/store/open.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';

const QUEUES = {
  work: { retryLimit: 2, retryDelay: 1, retryBackoff: false, expireInSeconds: 60 },
  other: { retryLimit: 0, retryDelay: 0, retryBackoff: false, expireInSeconds: 60 },
};

async function until(q: JobQueue, id: string, states: JobInfo['state'][], what = 'job'): Promise<JobInfo> {
  for (let i = 0; i < 400; i++) {
    const j = await q.getJob(id);
    if (j && states.includes(j.state)) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} ${id} never reached ${states.join('/')}: ${JSON.stringify(await q.getJob(id))}`);
}

interface Env {
  store: Store;
  url?: string;
  reopen(): Promise<Store>;
}

function queueSuite(
  name: string,
  setup: () => Promise<{ env: () => Promise<Env>; done: () => Promise<void> }>,
) {
  describe(`job queue on ${name}`, () => {
    let env: () => Promise<Env>;
    let done: () => Promise<void>;
    before(async () => {
      ({ env, done } = await setup());
    });
    after(async () => done());

    const open = (e: Env, store = e.store) =>
      openQueue({
        store,
        ...(e.url ? { databaseUrl: e.url } : {}),
        queues: QUEUES,
        pollingIntervalSeconds: 0.5,
      });

    it('runs a job once and keeps what the handler answered', async () => {
      const e = await env();
      const q = await open(e);
      try {
        const seen: unknown[] = [];
        await q.work<{ n: number }>('work', async (job) => {
          seen.push(job.data);
          return { doubled: job.data.n * 2 };
        });
        const id = await q.enqueue('work', { n: 21 });
        assert.ok(id);
        const j = await until(q, id, ['completed', 'failed']);
        assert.equal(j.state, 'completed');
        assert.deepEqual(j.output, { doubled: 42 });
        assert.equal(j.name, 'work');
        assert.deepEqual(seen, [{ n: 21 }]);
        assert.equal(await q.getJob('00000000-0000-4000-8000-000000000000'), null);
        assert.equal(await q.getJob('not-a-uuid'), null);
        // jobs without a singleton key are never held back
        const many = await Promise.all([1, 2, 3].map((n) => q.enqueue('work', { n })));
        assert.equal(new Set(many.filter(Boolean)).size, 3);
        for (const m of many) assert.equal((await until(q, m!, ['completed'])).state, 'completed');
      } finally {
        await q.stop();
        await e.store.close();
      }
    });

    it('retries a failing job after its delay, then fails it past the retry limit', async () => {
      const e = await env();
      const q = await open(e);
      try {
        const tries = new Map<string, number[]>();
        await q.work<{ failTimes: number }>('work', async (job) => {
          const list = tries.get(job.id) ?? [];
          list.push(job.retryCount);
          tries.set(job.id, list);
          if (list.length <= job.data.failTimes) throw new Error(`try ${list.length} fails`);
          return { tries: list.length };
        });
        const flaky = (await q.enqueue('work', { failTimes: 1 }))!;
        const first = await until(q, flaky, ['retry', 'completed']);
        assert.equal(first.state, 'retry');
        assert.deepEqual(first.output, { message: 'try 1 fails' });
        // the retry waits its delay (1 s) from the failure
        assert.ok(Date.parse(first.startAfter) > Date.parse(first.startedOn!), JSON.stringify(first));
        const ok = await until(q, flaky, ['completed', 'failed']);
        assert.equal(ok.state, 'completed');
        assert.equal(ok.retryCount, 1);
        assert.deepEqual(tries.get(flaky), [0, 1]);

        const doomed = (await q.enqueue('work', { failTimes: 99 }, { retryLimit: 1, retryDelay: 0 }))!;
        const failed = await until(q, doomed, ['failed', 'completed']);
        assert.equal(failed.state, 'failed');
        assert.equal(tries.get(doomed)!.length, 2);
        assert.equal(failed.retryCount, 1);
      } finally {
        await q.stop();
        await e.store.close();
      }
    });

    it('holds back a job whose singleton key waits, and starts nothing before startAfter', async () => {
      const e = await env();
      const q = await open(e);
      try {
        const later = new Date(Date.now() + 3600_000);
        const a = await q.enqueue('other', { a: 1 }, { singletonKey: 'img-1', startAfter: later });
        assert.ok(a);
        assert.equal(await q.enqueue('other', { a: 2 }, { singletonKey: 'img-1' }), null);
        assert.ok(await q.enqueue('other', { a: 3 }, { singletonKey: 'img-2', startAfter: later }));
        let ran = 0;
        await q.work('other', async () => {
          ran++;
        });
        const now = (await q.enqueue('other', { a: 4 }))!;
        await until(q, now, ['completed']);
        assert.equal(ran, 1);
        assert.equal((await q.getJob(a))!.state, 'created');
        assert.equal(Date.parse((await q.getJob(a))!.startAfter), later.getTime());
      } finally {
        await q.stop();
        await e.store.close();
      }
    });

    it('keeps accepted jobs across a restart', async () => {
      const e = await env();
      const q1 = await open(e);
      const id = (await q1.enqueue('work', { n: 1 }))!;
      await q1.stop();
      await e.store.close();
      const store = await e.reopen();
      const q2 = await open(e, store);
      try {
        await q2.work<{ n: number }>('work', async (job) => ({ got: job.data.n }));
        const j = await until(q2, id, ['completed']);
        assert.deepEqual(j.output, { got: 1 });
      } finally {
        await q2.stop();
        await store.close();
      }
    });

    it('refuses a queue it does not know', async () => {
      const e = await env();
      const q = await open(e);
      try {
        await assert.rejects(q.enqueue('nope', {}), { code: 'USAGE' });
      } finally {
        await q.stop();
        await e.store.close();
      }
    });
  });
}

describe('retry backoff', () => {
  it('is the delay without backoff, and doubles (with up to 100% jitter) with it', () => {
    assert.equal(retryDelaySeconds({ retryDelay: 5, retryBackoff: false }, 3), 5);
    for (const [n, lo] of [
      [0, 2],
      [1, 4],
      [2, 8],
      [20, 2 ** 16],
    ] as const) {
      const d = retryDelaySeconds({ retryDelay: 2, retryBackoff: true }, n);
      assert.ok(d >= lo && d <= 2 * lo, `${n}: ${d}`);
    }
  });
});

queueSuite('SQLite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-queue-'));
  let n = 0;
  return {
    env: async () => {
      const file = path.join(dir, `q${++n}.db`);
      return { store: await openStore({ sqlitePath: file }), reopen: () => openStore({ sqlitePath: file }) };
    },
    done: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

queueSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  return {
    env: async () => {
      const url = await cluster.newDatabase();
      return {
        store: await openStore({ databaseUrl: url }),
        url,
        reopen: () => openStore({ databaseUrl: url }),
      };
    },
    done: () => cluster.stop(),
  };
});

describe('the SQLite queue after a crash', () => {
  it('takes a job that was active when the process died again, as a retry', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-queue-'));
    const file = path.join(dir, 'server.db');
    try {
      const s1 = await openStore({ sqlitePath: file });
      const q1 = await openQueue({ store: s1, queues: QUEUES });
      let started!: () => void;
      const running = new Promise<void>((r) => (started = r));
      await q1.work('work', () => {
        started();
        return new Promise(() => undefined); // never ends: the process "dies" in it
      });
      const id = (await q1.enqueue('work', {}))!;
      await running;
      await q1.stop({ graceful: false });
      await s1.close();

      const s2 = await openStore({ sqlitePath: file });
      const q2 = await openQueue({ store: s2, queues: QUEUES });
      try {
        const waiting = await q2.getJob(id);
        assert.equal(waiting!.state, 'retry');
        assert.equal(waiting!.retryCount, 1);
        await q2.work('work', async () => 'done');
        const j = await until(q2, id, ['completed']);
        assert.equal(j.output, 'done');
      } finally {
        await q2.stop();
        await s2.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
