/**
 * `bulwark worker` as real processes against one real PostgreSQL: two workers share the jobs, and a
 * job whose worker is killed with SIGKILL in the middle of it is done by the other, once.
 *
 * "In the middle" is made certain, not timed: the test holds an exclusive lock on `scans`, so each
 * worker's re-match blocks inside its job on its first read of a stored scan; worker A is killed
 * there, then the lock is released.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { queueDefinitions } from '../../src/server/jobs/index.js';
import { openQueue, type JobQueue } from '../../src/server/queue/index.js';
import { ingestReport } from '../../src/server/store/ingest.js';
import { openStore, type Store } from '../../src/server/store/open.js';
import { REPO } from '../cli/helpers.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoDbPath, demoReport } from './fixtures.js';

interface Proc {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exited: Promise<number | null>;
  waitFor(pred: (l: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
}

function startWorker(url: string, db: string, timeout: number): Proc {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(REPO, 'test/cli/run-cli.ts'),
      'worker',
      '--database',
      url,
      '--db',
      db,
      '--job-timeout',
      String(timeout),
      '--poll-interval',
      '500',
      '--format',
      'json',
    ],
    {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)) as Record<string, unknown>);
      buf = buf.slice(i + 1);
    }
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    lines,
    exited,
    async waitFor(pred, what) {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const hit = lines.find(pred);
        if (hit) return hit;
        if (child.exitCode !== null || child.signalCode)
          throw new Error(`worker exited before ${what}: ${err}`);
        if (Date.now() > deadline)
          throw new Error(`no ${what} from the worker: ${JSON.stringify(lines)} ${err}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 250);
        });
      }
    },
  };
}

describe('bulwark worker: two processes on one PostgreSQL', () => {
  let cluster: PostgresCluster;
  let url: string;
  let store: Store;
  let queue: JobQueue;
  const procs: Proc[] = [];
  before(async () => {
    cluster = await startPostgres();
    url = await cluster.newDatabase();
    store = await openStore({ databaseUrl: url });
    queue = await openQueue({ store, databaseUrl: url, queues: queueDefinitions(5) });
  });
  after(async () => {
    for (const p of procs) if (p.child.exitCode === null && !p.child.signalCode) p.child.kill('SIGKILL');
    await queue.stop();
    await store.close();
    await cluster.stop();
  });

  it('a job whose worker is SIGKILLed mid-job is done by the other, each job exactly once', async () => {
    const vulnDb = await demoDbPath();
    const base = await demoReport();
    const imageIds: number[] = [];
    for (let i = 0; i < 6; i++) {
      // each scanned "with an older database": its re-match stores exactly one new scan
      const r = asImage(base, `w:${i}`);
      r.findings.shift();
      imageIds.push((await ingestReport(store, r)).imageId);
    }
    const a = startWorker(url, vulnDb, 5);
    const b = startWorker(url, vulnDb, 5);
    procs.push(a, b);
    await Promise.all([
      a.waitFor((l) => l.event === 'ready', 'ready'),
      b.waitFor((l) => l.event === 'ready', 'ready'),
    ]);

    const lock = new pg.Client({ connectionString: url });
    await lock.connect();
    await lock.query('begin');
    await lock.query('lock table scans in access exclusive mode');
    const jobs: string[] = [];
    for (const id of imageIds)
      jobs.push((await queue.enqueue('rematch-batch', { imageIds: [id], parent: 'test' }))!);
    const started = (l: Record<string, unknown>) => l.event === 'started' && l.name === 'rematch-batch';
    const [aJob] = await Promise.all([
      a.waitFor(started, 'a started job'),
      b.waitFor(started, 'b started job'),
    ]);
    a.child.kill('SIGKILL');
    await a.exited;
    await lock.query('rollback');
    await lock.end();

    const killed = aJob.job as string;
    assert.ok(jobs.includes(killed));
    for (const id of jobs) {
      let state = '';
      for (let i = 0; i < 600 && state !== 'completed' && state !== 'failed'; i++) {
        const got = await queue.getJob(id);
        if (!got) throw new Error(`job ${id} vanished: ${JSON.stringify([...a.lines, ...b.lines])}`);
        state = got.state;
        if (state !== 'completed') await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(state, 'completed', `job ${id}`);
    }
    const info = (await queue.getJob(killed))!;
    assert.equal(info.retryCount, 1, 'the killed job was taken again once');

    // completions: every job once, none by the killed worker
    const completed = [...a.lines, ...b.lines]
      .filter((l) => l.event === 'completed')
      .map((l) => l.job as string);
    assert.deepEqual([...completed].sort(), [...jobs].sort());
    assert.ok(b.lines.some((l) => l.event === 'completed' && l.job === killed));
    // and in the data: one new scan per image, none doubled or half-written
    for (const id of imageIds) {
      const n = await store.db
        .selectFrom('scans')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('image_id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 2, `image ${id}`);
    }

    // SIGTERM: a clean exit
    b.child.kill('SIGTERM');
    assert.equal(await b.exited, 0);
    assert.ok(b.lines.some((l) => l.event === 'stopping'));
  });
});
