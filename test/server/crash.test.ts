/**
 * kill -9 of `bulwark server` in the middle of ingests, repeatedly, on SQLite and PostgreSQL:
 * the server runs as a real process, a client uploads distinct reports in a loop, and the server
 * is SIGKILLed at a random moment (≥ 20 times per backend). After every restart, each report that
 * got a 2xx is stored exactly once, and no stored scan is half-written: its findings and layer
 * rows are counted against the report it stores.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore, type StoreOptions } from '../../src/server/store/open.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoReport, laterScan } from './fixtures.js';
import { startServerProcess as spawnServer } from '../helpers/server-process.js';

const PASSWORD = 'crash test admin password';
const KILLS = 20;

function startServer(args: string[]) {
  return spawnServer(['--log-level', 'warn', ...args], { BULWARK_ADMIN_PASSWORD: PASSWORD });
}

async function tokenFor(url: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const t = await fetch(`${url}/api/v1/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: 'crash', scopes: ['read', 'write'] }),
  });
  assert.equal(t.status, 201);
  return ((await t.json()) as { token: string }).token;
}

function crashSuite(
  name: string,
  setup: () => Promise<{ args: string[]; store: StoreOptions; done: () => Promise<void> }>,
) {
  describe(`kill -9 during ingest on ${name}`, () => {
    let cfg: Awaited<ReturnType<typeof setup>>;
    before(async () => {
      cfg = await setup();
    });
    after(async () => cfg?.done());

    it(`loses no accepted report and leaves no half-written scan over ${KILLS} kills`, async (t) => {
      const base = await demoReport();
      const accepted = new Map<string, number>(); // createdAt → scanId answered
      let token = '';
      let n = 0;
      for (let round = 0; round < KILLS; round++) {
        const server = await startServer(cfg.args);
        const exited = new Promise((r) => server.child.once('exit', r));
        if (!token) token = await tokenFor(server.url);
        // uploads in a loop, three at a time, until the kill
        let killed = false;
        let acceptedThisRound!: () => void;
        const firstAccepted = new Promise<void>((r) => (acceptedThisRound = r));
        const worker = async () => {
          while (!killed) {
            const i = n++;
            const at = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 60_000).toISOString();
            // several images, so new images, new layers and later scans all happen under the kill
            const r = laterScan(asImage(base, `crash:${i % 4}`), at, (f) =>
              i % 3 === 0 ? f.severity === 'LOW' : false,
            );
            if (i % 5 === 0)
              r.target.layers = r.target.layers.map((l, k) =>
                k === 0 ? { ...l, diffId: `sha256:${i.toString(16).padStart(64, '0')}` } : l,
              );
            try {
              const res = await fetch(`${server.url}/api/v1/reports`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                body: JSON.stringify(r),
              });
              const body = (await res.json()) as { scanId?: number };
              if (res.status === 200 || res.status === 201) {
                accepted.set(at, body.scanId!);
                acceptedThisRound();
              } else assert.fail(`upload answered ${res.status}: ${JSON.stringify(body)}`);
            } catch (e) {
              if (!killed) throw e;
            }
          }
        };
        const workers = [worker(), worker(), worker()];
        // the loop is under way (one upload answered), then a random moment of the next uploads
        // (a worker that failed fails the test here rather than waiting for an answer forever)
        await Promise.race([firstAccepted, Promise.all(workers)]);
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)));
        killed = true;
        server.child.kill('SIGKILL');
        await exited;
        await Promise.all(workers);
      }
      assert.ok(accepted.size >= KILLS, `only ${accepted.size} uploads were accepted`);
      t.diagnostic(`${KILLS} kills, ${n} uploads sent, ${accepted.size} accepted`);

      // one more start: migrations and the store open cleanly after the last kill
      const server = await startServer(cfg.args);
      const exited = new Promise((r) => server.child.once('exit', r));
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      server.child.kill('SIGTERM');
      await exited;

      const store = await openStore(cfg.store);
      try {
        const scans = await store.db
          .selectFrom('scans')
          .select(['id', 'scanned_at', 'finding_count', 'report'])
          .execute();
        const byTime = new Map<string, number[]>();
        for (const s of scans) byTime.set(s.scanned_at, [...(byTime.get(s.scanned_at) ?? []), s.id]);
        for (const [at, scanId] of accepted) {
          assert.deepEqual(
            byTime.get(at),
            [scanId],
            `report ${at} answered 2xx (scan ${scanId}): stored exactly once`,
          );
        }
        const findingRows = new Map(
          (
            await store.db
              .selectFrom('findings')
              .select(['scan_id', (eb) => eb.fn.countAll().as('n')])
              .groupBy('scan_id')
              .execute()
          ).map((r) => [r.scan_id, Number(r.n)]),
        );
        const layerRows = new Map(
          (
            await store.db
              .selectFrom('image_layers')
              .select(['scan_id', (eb) => eb.fn.countAll().as('n')])
              .groupBy('scan_id')
              .execute()
          ).map((r) => [r.scan_id, Number(r.n)]),
        );
        const knownLayers = new Set(
          (await store.db.selectFrom('layers').select('diff_id').execute()).map((l) => l.diff_id),
        );
        for (const s of scans) {
          const report = JSON.parse(s.report) as typeof base;
          assert.equal(
            findingRows.get(s.id) ?? 0,
            report.findings.length,
            `scan ${s.id}: every finding stored`,
          );
          assert.equal(s.finding_count, report.findings.length);
          assert.equal(
            layerRows.get(s.id) ?? 0,
            report.target.layers.length,
            `scan ${s.id}: every layer row stored`,
          );
          for (const l of report.target.layers)
            assert.ok(knownLayers.has(l.diffId), `scan ${s.id}: layer ${l.diffId} stored`);
        }
        // every finding of every image's latest scan has its history row
        const states = await store.db
          .selectFrom('finding_state')
          .select(['image_id', 'last_scan_id'])
          .execute();
        assert.ok(states.length > 0);
        const ids = new Set(scans.map((s) => s.id));
        for (const st of states) assert.ok(ids.has(st.last_scan_id), 'history points at stored scans only');
      } finally {
        await store.close();
      }
    });
  });
}

crashSuite('SQLite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-crash-'));
  return {
    args: ['--data-dir', dir],
    store: { sqlitePath: path.join(dir, 'server.db') },
    done: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

crashSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  const url = await cluster.newDatabase();
  return { args: ['--database', url], store: { databaseUrl: url }, done: () => cluster.stop() };
});
