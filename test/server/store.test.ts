import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ingestReport } from '../../src/server/store/ingest.js';
import { openStore, type Store } from '../../src/server/store/open.js';
import { diffScans, findingStates, getScan, listImages, listScans } from '../../src/server/store/queries.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoReport, laterScan } from './fixtures.js';

type Opener = () => Promise<Store>;

function storeSuite(name: string, setup: () => Promise<{ open: Opener; done: () => Promise<void> }>) {
  describe(`server store on ${name}`, () => {
    let open: Opener;
    let done: () => Promise<void>;
    before(async () => {
      ({ open, done } = await setup());
    });
    after(async () => done());

    it('applies the migrations on open, and again is a no-op', async () => {
      const s = await open();
      const tables = [
        'images',
        'scans',
        'layers',
        'image_layers',
        'findings',
        'finding_state',
        'users',
        'api_tokens',
        'sessions',
        'audit_log',
      ];
      for (const t of tables) await sql`select count(*) from ${sql.table(t)}`.execute(s.db);
      await s.close();
    });

    it('stores a real image report: image, layers once, scan, findings, history', async () => {
      const s = await open();
      try {
        const r = await demoReport();
        const first = await ingestReport(s, r, { now: new Date('2026-12-01T00:00:00Z') });
        assert.equal(first.duplicate, false);
        assert.equal(first.findings, r.findings.length);
        assert.equal(first.newLayers, r.target.layers.length);
        assert.ok(first.opened > 0 && first.opened <= r.findings.length);

        // the same upload again stores nothing new
        const again = await ingestReport(s, r);
        assert.equal(again.duplicate, true);
        assert.equal(again.scanId, first.scanId);

        // another image on the same layers: the layers are not stored again
        const other = await ingestReport(s, asImage(r, 'demo:2'));
        assert.notEqual(other.imageId, first.imageId);
        assert.equal(other.newLayers, 0);
        const layers = await s.db.selectFrom('layers').select(['diff_id', 'package_count']).execute();
        assert.equal(layers.length, r.target.layers.length);
        assert.equal(
          layers.reduce((n, l) => n + l.package_count, 0),
          r.packages.filter((p) => p.layer).length,
        );

        // a later scan of the first image without the log4j findings: those are fixed at its time
        const gone = (f: { package: { name: string } }) => f.package.name === 'liblog4j2-java';
        const droppedCount = r.findings.filter(gone).length;
        assert.ok(droppedCount > 0, 'the demo image has liblog4j2-java findings');
        const later = laterScan(r, '2026-12-02T00:00:00.000Z', gone);
        const second = await ingestReport(s, later);
        assert.equal(second.imageId, first.imageId);
        assert.equal(second.fixed, droppedCount);
        assert.equal(second.opened, 0);

        const states = await findingStates(s, first.imageId);
        const fixed = states.filter((x) => x.fixed_at !== null);
        assert.equal(fixed.length, droppedCount);
        for (const f of fixed) {
          assert.equal(f.fixed_at, '2026-12-02T00:00:00.000Z');
          assert.equal(f.first_seen, new Date(r.createdAt).toISOString());
        }
        for (const f of states.filter((x) => x.fixed_at === null))
          assert.equal(f.last_seen, '2026-12-02T00:00:00.000Z');

        const diff = await diffScans(s, first.scanId, second.scanId);
        assert.equal(diff.fixed.length, droppedCount);
        assert.equal(diff.new.length, 0);
        assert.equal(diff.unchanged.length, later.findings.length);
        const back = await diffScans(s, second.scanId, first.scanId);
        assert.equal(back.new.length, droppedCount);

        // the finding comes back in a third scan: open again
        const third = await ingestReport(
          s,
          laterScan(r, '2026-12-03T00:00:00.000Z', () => false),
        );
        assert.equal(third.reopened, droppedCount);

        const images = await listImages(s);
        assert.equal(images.length, 2);
        const img = images.find((i) => i.id === first.imageId)!;
        assert.equal(img.repository, 'docker.io/library/demo');
        assert.equal(img.tag, 'latest');
        assert.equal(img.scans, 3);
        assert.equal(img.lastScanId, third.scanId);
        assert.equal(
          img.openFindings,
          new Set(r.findings.map((f) => `${f.id} ${f.package.name} ${f.package.location}`)).size,
        );
        const scans = await listScans(s, first.imageId);
        assert.deepEqual(
          scans.map((x) => x.id),
          [third.scanId, second.scanId, first.scanId],
        );
        const stored = await getScan(s, first.scanId);
        assert.deepEqual(stored?.report, r);
      } finally {
        await s.close();
      }
    });

    it('writes a scan in one transaction: a failure part-way leaves nothing behind', async () => {
      const s = await open();
      try {
        const count = async (t: 'scans' | 'findings' | 'layers' | 'images' | 'image_layers') =>
          Number(
            (
              await s.db
                .selectFrom(t)
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        const before = {
          scans: await count('scans'),
          findings: await count('findings'),
          layers: await count('layers'),
          images: await count('images'),
          imageLayers: await count('image_layers'),
        };
        const r = asImage(await demoReport(), 'broken:1');
        r.target.layers[0]!.diffId = 'sha256:' + 'f'.repeat(64); // a new layer, so layers are written too
        // the last finding breaks a NOT NULL column: everything before it must be rolled back
        (r.findings[r.findings.length - 1]!.package as { name: unknown }).name = null;
        await assert.rejects(ingestReport(s, r));
        assert.deepEqual(
          {
            scans: await count('scans'),
            findings: await count('findings'),
            layers: await count('layers'),
            images: await count('images'),
            imageLayers: await count('image_layers'),
          },
          before,
        );
      } finally {
        await s.close();
      }
    });

    it('takes concurrent uploads of one new image and of images sharing new layers', async () => {
      const s = await open();
      try {
        const base = asImage(await demoReport(), 'concurrent:1');
        base.target.layers = base.target.layers.map((l, i) => ({
          ...l,
          diffId: `sha256:${String(i).repeat(64)}`,
        }));
        const uploads = Array.from({ length: 8 }, (_, i) => {
          const r =
            i % 2
              ? asImage(base, `concurrent:${i}`)
              : laterScan(base, `2026-12-0${i + 1}T00:00:00.000Z`, () => false);
          return ingestReport(s, r);
        });
        const results = await Promise.all(uploads);
        assert.equal(new Set(results.map((r) => r.scanId)).size, 8);
        assert.equal(results.reduce((n, r) => n + r.newLayers, 0) >= base.target.layers.length, true);
        const layers = await s.db
          .selectFrom('layers')
          .select('diff_id')
          .where(
            'diff_id',
            'in',
            base.target.layers.map((l) => l.diffId),
          )
          .execute();
        assert.equal(layers.length, base.target.layers.length);
      } finally {
        await s.close();
      }
    });

    it('keeps the audit log append-only', async () => {
      const s = await open();
      try {
        await s.db
          .insertInto('audit_log')
          .values({
            at: new Date().toISOString(),
            actor_id: null,
            actor: 'test',
            action: 'test',
            target: null,
            detail: '{}',
            ip: null,
            outcome: 'ok',
          })
          .execute();
        await assert.rejects(
          s.db.updateTable('audit_log').set({ action: 'changed' }).execute(),
          /append-only/,
        );
        await assert.rejects(s.db.deleteFrom('audit_log').execute(), /append-only/);
      } finally {
        await s.close();
      }
    });
  });
}

storeSuite('SQLite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-store-'));
  const file = path.join(dir, 'server.db');
  return {
    open: () => openStore({ sqlitePath: file }),
    done: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

storeSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  const url = await cluster.newDatabase();
  return { open: () => openStore({ databaseUrl: url }), done: () => cluster.stop() };
});
