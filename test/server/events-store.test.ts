import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rematch } from '../../src/server/rematch.js';
import {
  appendEvent,
  groupStaleRematchChanges,
  listEvents,
  rematchChangesHook,
} from '../../src/server/store/events.js';
import { ingestReport } from '../../src/server/store/ingest.js';
import { openStore, type Store } from '../../src/server/store/open.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoDbPath, demoReport, laterScan } from './fixtures.js';

type Opener = () => Promise<Store>;

async function addChannel(s: Store, filters: { types?: string[]; min?: string; kev?: boolean } = {}) {
  const at = '2026-12-01T00:00:00.000Z';
  return (
    await s.db
      .insertInto('notification_channels')
      .values({
        name: 'c',
        kind: 'webhook',
        enabled: 1,
        config: '{}',
        secret: 'v1:x:y:z',
        event_types: JSON.stringify(filters.types ?? []),
        min_severity: filters.min ?? null,
        kev_only: filters.kev ? 1 : 0,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

function eventsSuite(name: string, setup: () => Promise<{ open: Opener; done: () => Promise<void> }>) {
  describe(`events on ${name}`, () => {
    let open: Opener;
    let done: () => Promise<void>;
    before(async () => {
      ({ open, done } = await setup());
    });
    after(async () => done());

    it('an upload makes scan.completed; a later one vulnerability.new per vulnerability and finding.fixed', async () => {
      const s = await open();
      try {
        const all = await addChannel(s);
        const onlyNew = await addChannel(s, { types: ['vulnerability.new'] });
        const r = await demoReport();
        const first = await ingestReport(s, r, { now: new Date('2026-12-01T00:00:00Z') });
        let events = await listEvents(s, { limit: 1000 });
        assert.deepEqual(
          events.map((e) => e.type),
          ['scan.completed'],
          'the first scan of an image announces no vulnerability changes',
        );
        const done = events[0]!;
        assert.equal(done.payload.scanId, first.scanId);
        assert.equal(done.payload.findings, r.findings.length);
        assert.match(done.eventId, /^evt_[0-9a-f]{32}$/);

        // later: the log4j findings gone (fixed), one finding of a new vulnerability on two packages
        const gone = (f: { package: { name: string } }) => f.package.name === 'liblog4j2-java';
        const fixedCount = r.findings.filter(gone).length;
        assert.ok(fixedCount > 0);
        const later = laterScan(r, '2026-12-02T00:00:00.000Z', gone);
        const kept = later.findings.filter((f) => !gone(f));
        const a = structuredClone(kept[0]!);
        a.id = 'CVE-2099-0001';
        a.severity = 'CRITICAL';
        const b = structuredClone(kept[1]!);
        b.id = 'CVE-2099-0001';
        b.severity = 'LOW';
        later.findings.push(a, b);
        await ingestReport(s, later, { now: new Date('2026-12-02T00:00:01Z') });
        events = await listEvents(s, { limit: 1000, since: '2026-12-02T00:00:00.000Z' });
        assert.deepEqual(events.map((e) => e.type).sort(), [
          'finding.fixed',
          'scan.completed',
          'vulnerability.new',
        ]);
        const vnew = events.find((e) => e.type === 'vulnerability.new')!;
        assert.equal(vnew.severity, 'CRITICAL');
        assert.match(vnew.summary, /^CVE-2099-0001 now affects 1 image \(/);
        const images = vnew.payload.images as { id: number; packages: { name: string }[] }[];
        assert.equal(images.length, 1);
        assert.equal(images[0]!.id, first.imageId);
        assert.deepEqual(
          images[0]!.packages.map((p) => p.name).sort(),
          [a.package.name, b.package.name].sort(),
        );
        const fixed = events.find((e) => e.type === 'finding.fixed')!;
        assert.equal(fixed.payload.count, fixedCount);
        // KEV and fixes come from the previous scan's report (the demo's log4j is in KEV)
        assert.equal(fixed.kev, true);
        assert.equal(
          fixed.kev,
          r.findings.filter(gone).some((f) => f.kev !== null),
        );
        const items = fixed.payload.findings as {
          vulnId: string;
          kev: boolean;
          fixedVersion: string | null;
        }[];
        assert.deepEqual(
          items.map((i) => i.vulnId).sort(),
          r.findings
            .filter(gone)
            .map((f) => f.id)
            .sort(),
        );

        // the outbox: every event for the catch-all channel, only vulnerability.new for the other
        const rows = await s.db
          .selectFrom('deliveries')
          .select(['channel_id', 'event_id', 'status'])
          .execute();
        const all4 = await listEvents(s, { limit: 1000 });
        assert.equal(rows.filter((d) => d.channel_id === all).length, all4.length);
        assert.deepEqual(
          rows.filter((d) => d.channel_id === onlyNew).map((d) => d.event_id),
          [vnew.id],
        );
        assert.ok(rows.every((d) => d.status === 'pending'));

        // filters by type and time
        assert.equal((await listEvents(s, { limit: 10, type: 'finding.fixed' })).length, 1);
        assert.equal((await listEvents(s, { limit: 10, since: '2030-01-01T00:00:00.000Z' })).length, 0);
        assert.deepEqual(
          (await listEvents(s, { limit: 10, afterId: all4[0]!.id })).map((e) => e.id),
          all4.slice(1).map((e) => e.id),
        );
      } finally {
        await s.close();
      }
    });

    it('a re-match groups each vulnerability over every image it changed, into one event', async () => {
      const s = await open();
      try {
        const dbPath = await demoDbPath();
        const base = await demoReport();
        const missingId = base.findings[0]!.id;
        const sameVulnElsewhere = base.findings.filter((f) => f.id === missingId).length;
        for (const tag of ['older:1', 'older:2', 'older:3']) {
          // as if scanned with an older database: one vulnerability missing, one that no longer holds
          const r = asImage(base, tag);
          r.findings = r.findings.filter((f) => f.id !== missingId);
          const stale = structuredClone(r.findings[0]!);
          stale.id = 'CVE-1999-0001';
          r.findings.push(stale);
          await ingestReport(s, r, { now: new Date('2026-12-01T00:00:00Z') });
        }
        const channel = await addChannel(s, { types: ['vulnerability.new', 'vulnerability.vanished'] });
        const res = await rematch(s, { dbPath, toolVersion: 'test', now: new Date('2026-12-03T00:00:00Z') });
        assert.equal(res.images.filter((i) => i.scanId !== null).length, 3);
        const events = await listEvents(s, { limit: 100, since: '2026-12-03T00:00:00.000Z' });
        assert.deepEqual(events.map((e) => e.type).sort(), ['vulnerability.new', 'vulnerability.vanished']);
        const vnew = events.find((e) => e.type === 'vulnerability.new')!;
        assert.equal(vnew.payload.imageCount, 3);
        assert.equal(vnew.summary.startsWith(`${missingId} now affects 3 images (`), true, vnew.summary);
        const imgs = vnew.payload.images as { tag: string; packages: unknown[] }[];
        assert.deepEqual(imgs.map((i) => i.tag).sort(), ['1', '2', '3']);
        for (const i of imgs) assert.equal(i.packages.length, sameVulnElsewhere);
        const gone = events.find((e) => e.type === 'vulnerability.vanished')!;
        assert.match(gone.summary, /^CVE-1999-0001 no longer affects 3 images/);
        // grouped rows are gone; one delivery per event for the channel
        assert.equal((await s.db.selectFrom('rematch_changes').selectAll().execute()).length, 0);
        const d = await s.db.selectFrom('deliveries').selectAll().where('channel_id', '=', channel).execute();
        assert.deepEqual(d.map((x) => x.event_id).sort(), events.map((e) => e.id).sort());
        // the same re-match again changes nothing and announces nothing
        await rematch(s, { dbPath, toolVersion: 'test', now: new Date('2026-12-04T00:00:00Z') });
        assert.equal((await listEvents(s, { limit: 100, since: '2026-12-04T00:00:00.000Z' })).length, 0);
      } finally {
        await s.close();
      }
    });

    it('groups the changes a crashed run left behind, once, and leaves a live run alone', async () => {
      const s = await open();
      try {
        const r = asImage(await demoReport(), 'crashed:1');
        const f = r.findings[0]!;
        const at = new Date('2026-12-01T00:00:00Z');
        // the scan and its change rows, as a run that died before grouping left them
        await ingestReport(s, r, { now: at, events: rematchChangesHook('dead-run', [f], []) });
        assert.equal(await groupStaleRematchChanges(s, new Date(at.getTime() + 60_000)), 0, 'still live');
        assert.equal(await groupStaleRematchChanges(s, new Date(at.getTime() + 3600_000)), 1);
        assert.equal(await groupStaleRematchChanges(s, new Date(at.getTime() + 7200_000)), 0);
        const [e] = await listEvents(s, { limit: 10, type: 'vulnerability.new' });
        assert.equal(e!.payload.imageCount, 1);
      } finally {
        await s.close();
      }
    });

    it('keeps events append-only, and an event with its deliveries or neither', async () => {
      const s = await open();
      try {
        await addChannel(s);
        await assert.rejects(
          s.db.transaction().execute(async (trx) => {
            await appendEvent(trx, {
              type: 'scan.completed',
              at: '2026-12-01T00:00:00.000Z',
              severity: 'LOW',
              kev: false,
              summary: 'x',
              payload: {},
            });
            throw new Error('the transaction fails after the event');
          }),
          /after the event/,
        );
        assert.equal((await s.db.selectFrom('events').selectAll().execute()).length, 0);
        assert.equal((await s.db.selectFrom('deliveries').selectAll().execute()).length, 0);
        await s.db.transaction().execute((trx) =>
          appendEvent(trx, {
            type: 'scan.completed',
            at: '2026-12-01T00:00:00.000Z',
            severity: 'LOW',
            kev: false,
            summary: 'x',
            payload: {},
          }),
        );
        assert.equal((await s.db.selectFrom('deliveries').selectAll().execute()).length, 1);
        await assert.rejects(s.db.updateTable('events').set({ summary: 'changed' }).execute(), /append-only/);
        await assert.rejects(s.db.deleteFrom('events').execute(), /append-only/);
      } finally {
        await s.close();
      }
    });
  });
}

eventsSuite('SQLite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-events-'));
  let n = 0;
  return {
    open: () => openStore({ sqlitePath: path.join(dir, `server-${n++}.db`) }),
    done: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

eventsSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  return {
    open: async () => openStore({ databaseUrl: await cluster.newDatabase() }),
    done: () => cluster.stop(),
  };
});
