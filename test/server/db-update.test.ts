import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  nextRun,
  parseCron,
  queueDefinitions,
  scheduleDbUpdate,
  type DbUpdateOptions,
} from '../../src/server/jobs/index.js';
import { openQueue, type JobQueue } from '../../src/server/queue/index.js';
import { openStore, type Store } from '../../src/server/store/open.js';
import { makeMirror } from '../vulndb/helpers/fixtures.js';

describe('cron expressions', () => {
  it('takes 5 and 6 fields and refuses what is no cron expression, with USAGE', () => {
    assert.equal(
      nextRun('0 3 * * *', new Date('2026-12-01T12:00:00Z')).toISOString(),
      '2026-12-02T03:00:00.000Z',
    );
    assert.equal(
      nextRun('*/10 * * * * *', new Date('2026-12-01T12:00:01Z')).toISOString(),
      '2026-12-01T12:00:10.000Z',
    );
    for (const bad of ['', 'every day', '61 * * * *', '* * * * * * * *', 'x'.repeat(300)])
      assert.throws(() => parseCron(bad), { code: 'USAGE' }, bad);
  });
});

describe('scheduled database update', () => {
  let dir: string;
  let store: Store;
  let queue: JobQueue;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-dbupd-'));
    store = await openStore({ sqlitePath: path.join(dir, 'server.db') });
    queue = await openQueue({ store, queues: queueDefinitions() });
  });
  after(async () => {
    await queue.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs the CLI's db update from the mirror when due, then queues one re-match", async () => {
    const mirror = makeMirror(path.join(dir, 'mirror'), ['Alpine']);
    const dbPath = path.join(dir, 'vuln.db');
    const events: Parameters<NonNullable<DbUpdateOptions['log']>>[0][] = [];
    // every second: the first tick runs it
    const s = scheduleDbUpdate({ cron: '* * * * * *', mirror, dbPath, queue, log: (e) => events.push(e) });
    try {
      for (let i = 0; i < 600 && !events.length; i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      s.stop();
    }
    assert.equal(events[0]?.status, 'ok', JSON.stringify(events));
    assert.ok(existsSync(dbPath));
    const job = await queue.getJob(events[0]!.rematchJob!);
    assert.equal(job!.name, 'rematch');
    assert.deepEqual(job!.data, { requestedBy: 'db-update' });
  });

  it('refuses a bad schedule before starting anything', () => {
    assert.throws(() => scheduleDbUpdate({ cron: 'nightly', dbPath: path.join(dir, 'x.db'), queue }), {
      code: 'USAGE',
    });
  });
});
