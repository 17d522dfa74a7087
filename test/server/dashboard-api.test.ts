/**
 * The dashboard's server side: the overview API (aggregated and paged, on SQLite and PostgreSQL),
 * the static files with their CSP, the SPA fallback, the 503 page without a build, and the QR code
 * of TOTP enrolment.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JsonReport } from '../../src/report/index.js';
import { DASHBOARD_CSP } from '../../src/server/routes/dashboard.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoReport, laterScan } from './fixtures.js';
import { TestServer, type Backend } from './harness.js';

interface Overview {
  totals: Record<string, number>;
  series: ({ date: string } & Record<string, number>)[];
  total: number;
  images: ({ id: number; repository: string; tag: string; lastScanId: number; scans: number } & Record<
    string,
    number
  >)[];
}

/** Counted here independently of the server, from the reports as uploaded. */
function count(r: JsonReport) {
  const c: Record<string, number> = {
    critical: 0,
    high: 0,
    medium: 0,
    low: 0,
    unknown: 0,
    kev: 0,
    fixable: 0,
  };
  for (const f of r.findings) {
    c[f.severity.toLowerCase()]!++;
    if (f.kev) c.kev!++;
    if (f.fixedVersion) c.fixable!++;
  }
  return c;
}

function overviewSuite(
  name: string,
  backend: () => Promise<{ backend: Backend; done?: () => Promise<void> }>,
) {
  describe(`dashboard overview API on ${name}`, () => {
    let s: TestServer;
    let done: (() => Promise<void>) | undefined;
    let analyst: Awaited<ReturnType<TestServer['userWithToken']>>;
    let viewer: Awaited<ReturnType<TestServer['userWithToken']>>;
    let first: JsonReport;
    let later: JsonReport;
    let other: JsonReport;

    before(async () => {
      const b = await backend();
      done = b.done;
      s = await TestServer.start(b.backend, { maxReportBytes: 4 * 1024 * 1024, dashboardDir: false });
      analyst = await s.userWithToken('analyst');
      viewer = await s.userWithToken('viewer');
      first = await demoReport();
      first.createdAt = '2026-11-20T10:00:00Z';
      // two days later the packages with a fix were upgraded: their findings are gone
      later = laterScan(first, '2026-11-22T10:00:00Z', (f) => f.fixedVersion !== null);
      other = asImage(first, 'registry.local/other:1.0');
      other.createdAt = '2026-11-21T09:00:00Z';
      for (const r of [first, later, other]) {
        const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
        assert.equal(up.status, 201, up.text);
      }
    });
    after(async () => {
      await s?.close();
      await done?.();
    });

    it('needs a signed-in viewer', async () => {
      assert.equal((await s.request('GET', '/api/v1/dashboard/overview')).status, 401);
      assert.equal(
        (await s.request('GET', '/api/v1/dashboard/overview', { token: viewer.token })).status,
        200,
      );
      assert.equal(s.openapi.paths['/api/v1/dashboard/overview']!.get!['x-bulwark-access'], 'viewer');
    });

    it('totals the latest scan of every image, and counts images with KEV and with fixes', async () => {
      const r = await s.request('GET', '/api/v1/dashboard/overview', { token: viewer.token });
      const o = r.body as Overview;
      const a = count(later);
      const b = count(other);
      assert.equal(o.totals.images, 2);
      assert.equal(o.totals.scans, 3);
      for (const k of ['critical', 'high', 'medium', 'low', 'unknown', 'kev', 'fixable'])
        assert.equal(o.totals[k], a[k]! + b[k]!, k);
      assert.equal(o.totals.imagesWithFixes, (a.fixable! > 0 ? 1 : 0) + (b.fixable! > 0 ? 1 : 0));
      assert.equal(o.totals.imagesWithKev, (a.kev! > 0 ? 1 : 0) + (b.kev! > 0 ? 1 : 0));
      assert.ok(b.fixable! > 0, 'the demo image has findings with a fix');
      assert.equal(a.fixable, 0);
    });

    it('answers the series per day as the latest scan up to that day had it', async () => {
      const o = (await s.request('GET', '/api/v1/dashboard/overview', { token: viewer.token }))
        .body as Overview;
      assert.deepEqual(
        o.series.map((p) => p.date),
        ['2026-11-20', '2026-11-21', '2026-11-22'],
      );
      const c1 = count(first);
      const c3 = count(later);
      const c2 = count(other);
      for (const k of ['critical', 'high', 'medium', 'low', 'unknown']) {
        assert.equal(o.series[0]![k], c1[k], `day 1 ${k}`);
        assert.equal(o.series[1]![k], c1[k]! + c2[k]!, `day 2 ${k}`);
        assert.equal(o.series[2]![k], c3[k]! + c2[k]!, `day 3 ${k}`);
      }
      const short = (await s.request('GET', '/api/v1/dashboard/overview?days=1', { token: viewer.token }))
        .body as Overview;
      assert.deepEqual(
        short.series.map((p) => p.date),
        ['2026-11-22'],
      );
    });

    it('pages, sorts and filters the images', async () => {
      const all = (await s.request('GET', '/api/v1/dashboard/overview?sort=name', { token: viewer.token }))
        .body as Overview;
      assert.deepEqual(
        all.images.map((i) => i.repository),
        [...all.images.map((i) => i.repository)].sort(),
      );
      // most exposed first: the image whose fixable findings were not upgraded yet
      const ranked = (await s.request('GET', '/api/v1/dashboard/overview', { token: viewer.token }))
        .body as Overview;
      assert.equal(ranked.images[0]!.repository, 'registry.local/other');
      assert.equal(ranked.images.find((i) => i.repository !== 'registry.local/other')!.scans, 2);
      const p2 = (
        await s.request('GET', '/api/v1/dashboard/overview?limit=1&offset=1', { token: viewer.token })
      ).body as Overview;
      assert.equal(p2.total, 2);
      assert.equal(p2.images.length, 1);
      assert.equal(p2.images[0]!.id, ranked.images[1]!.id);
      const recent = (
        await s.request('GET', '/api/v1/dashboard/overview?sort=recent', { token: viewer.token })
      ).body as Overview;
      assert.equal(recent.images[0]!.lastScanId, ranked.images[1]!.lastScanId);
      const f = (
        await s.request('GET', '/api/v1/dashboard/overview?repository=other', { token: viewer.token })
      ).body as Overview;
      assert.equal(f.total, 1);
      assert.equal(f.totals.images, 2, 'totals stay the portfolio’s');
      for (const bad of ["' OR '1'='1", '%', '_', "x'; DROP TABLE scan_summaries; --"]) {
        const r = await s.request('GET', `/api/v1/dashboard/overview?repository=${encodeURIComponent(bad)}`, {
          token: viewer.token,
        });
        assert.equal(r.status, 200);
        assert.equal((r.body as Overview).total, 0, bad);
      }
      assert.equal(
        (await s.request('GET', '/api/v1/dashboard/overview?limit=501', { token: viewer.token })).status,
        400,
      );
      assert.equal(
        (await s.request('GET', '/api/v1/dashboard/overview?sort=x', { token: viewer.token })).status,
        400,
      );
    });

    it('sees a scan stored after it answered (the summaries it keeps are brought up to date)', async () => {
      const before = (await s.request('GET', '/api/v1/dashboard/overview', { token: viewer.token }))
        .body as Overview;
      const third = asImage(first, 'registry.local/third:2.0');
      third.createdAt = '2026-11-23T08:00:00Z';
      const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: third });
      assert.equal(up.status, 201, up.text);
      const after = (await s.request('GET', '/api/v1/dashboard/overview', { token: viewer.token }))
        .body as Overview;
      assert.equal(after.totals.images, before.totals.images! + 1);
      assert.equal(after.totals.scans, before.totals.scans! + 1);
      assert.equal(after.totals.critical, before.totals.critical! + count(third).critical!);
      assert.ok(after.images.some((i) => i.repository === 'registry.local/third'));
      assert.equal(after.series[after.series.length - 1]!.date, '2026-11-23');
    });

    it('summarises scans stored without a summary from their reports, once', async () => {
      const before = (await s.request('GET', '/api/v1/dashboard/overview', { token: viewer.token })).body;
      await s.store.db.deleteFrom('scan_summaries').execute();
      const again = (await s.request('GET', '/api/v1/dashboard/overview', { token: viewer.token })).body;
      assert.deepEqual(again, before);
      const n = await s.store.db
        .selectFrom('scan_summaries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 4);
    });
  });
}

overviewSuite('SQLite', async () => ({ backend: { kind: 'sqlite' } }));

overviewSuite('PostgreSQL', async () => {
  const cluster: PostgresCluster = await startPostgres();
  return { backend: { kind: 'postgres', url: await cluster.newDatabase() }, done: () => cluster.stop() };
});

describe('dashboard static files', () => {
  let s: TestServer;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-dash-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>bulwark</title><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(path.join(dir, '.secret'), 'no');
    writeFileSync(path.join(os.tmpdir(), 'bulwark-dash-outside.txt'), 'outside');
    s = await TestServer.start({ kind: 'sqlite' }, { dashboardDir: dir });
  });
  after(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for every non-API path, with a CSP of its own origin only', async () => {
    for (const p of ['/', '/images/12', '/admin/audit?offset=50']) {
      const r = await s.request('GET', p);
      assert.equal(r.status, 200, p);
      assert.match(r.headers.get('content-type') ?? '', /text\/html/);
      assert.match(r.text, /<div id="root">/);
      assert.equal(r.headers.get('content-security-policy'), DASHBOARD_CSP);
      assert.equal(r.headers.get('x-frame-options'), 'SAMEORIGIN');
    }
    assert.doesNotMatch(DASHBOARD_CSP, /unsafe|https?:|\*/);
  });

  it('serves the hashed assets for good, and a missing asset is a 404, not the page', async () => {
    const a = await s.request('GET', '/assets/index-abc.js');
    assert.equal(a.status, 200);
    assert.match(a.headers.get('content-type') ?? '', /javascript/);
    assert.match(a.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await s.request('GET', '/assets/index-gone.js')).status, 404);
    assert.equal((await s.request('GET', '/favicon.ico')).status, 404);
  });

  it('keeps API paths, dot files and paths outside the build away from the page', async () => {
    const api = await s.request('GET', '/api/v1/nothing-here');
    assert.equal(api.status, 404);
    assert.equal((api.body as { error: { code: string } }).error.code, 'NOT_FOUND');
    const dot = await s.request('GET', '/.secret');
    assert.doesNotMatch(dot.text, /^no$/);
    for (const p of [
      '/..%2fbulwark-dash-outside.txt',
      '/assets/..%2f..%2fbulwark-dash-outside.txt',
      '/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const r = await s.request('GET', p);
      assert.doesNotMatch(r.text, /outside|root:/, p);
    }
    // the API still answers as before
    assert.equal((await s.request('GET', '/healthz')).status, 200);
    assert.equal((await s.request('GET', '/api/v1/images')).status, 401);
  });

  it('answers a 503 page that says how to build when the build is missing', async () => {
    const s2 = await TestServer.start({ kind: 'sqlite' }, { dashboardDir: path.join(dir, 'nope') });
    try {
      const r = await s2.request('GET', '/');
      assert.equal(r.status, 503);
      assert.match(r.text, /npm run build:dashboard/);
      assert.equal((await s2.request('GET', '/healthz')).status, 200);
    } finally {
      await s2.close();
    }
  });

  it('answers the TOTP enrolment URI as a QR code made on the server', async () => {
    const a = await s.admin();
    const r = await s.request('POST', '/api/v1/me/totp', a);
    assert.equal(r.status, 200, r.text);
    const b = r.body as { uri: string; qrSvg: string };
    assert.match(b.qrSvg, /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.match(b.qrSvg, /<path [^>]*d="M/);
    assert.doesNotMatch(b.qrSvg, /<script|href|<image/i);
  });
});
