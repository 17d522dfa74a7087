/**
 * /metrics in the Prometheus text format, the one structured log line per request, and the
 * open-findings series per day, over real HTTP (the series on SQLite and PostgreSQL).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { openFindingsPerDay } from '../../src/server/routes/series.js';
import { startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { asImage, demoReport, laterScan } from './fixtures.js';
import { TestServer, type Backend } from './harness.js';

/** Parses the text exposition format strictly enough that a malformed line fails. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|NaN)$/.exec(
        line,
      );
    assert.ok(m, `not a metric line: ${line}`);
    out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]));
  }
  return out;
}

function suite(
  name: string,
  backend: () => Promise<{ backend: Backend; done?: () => Promise<void> }>,
  full: boolean,
) {
  describe(`metrics, logs and series on ${name}`, () => {
    let s: TestServer;
    let done: (() => Promise<void>) | undefined;
    let analyst: string;
    let viewer: string;
    const lines: Record<string, unknown>[] = [];
    before(async () => {
      const b = await backend();
      done = b.done;
      const stream = new Writable({
        write(chunk: Buffer, _enc, cb) {
          for (const l of chunk.toString().split('\n'))
            if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
          cb();
        },
      });
      s = await TestServer.start(b.backend, { logger: { level: 'info', stream } as never });
      analyst = (await s.userWithToken('analyst')).token;
      viewer = (await s.userWithToken('viewer')).token;
    });
    after(async () => {
      await s?.close();
      await done?.();
    });

    if (full)
      it('counts requests, latency, ingests and stored images in the Prometheus text format', async () => {
        const r = asImage(await demoReport(), 'metrics:1');
        assert.equal((await s.request('POST', '/api/v1/reports', { token: analyst, body: r })).status, 201);
        assert.equal((await s.request('POST', '/api/v1/reports', { token: analyst, body: r })).status, 200);
        assert.equal((await s.request('GET', '/api/v1/images/999999', { token: viewer })).status, 404);
        assert.equal((await s.request('GET', '/metrics')).status, 401);
        const m = await s.request('GET', '/metrics', { token: viewer });
        assert.equal(m.status, 200);
        assert.match(m.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        const v = parseMetrics(m.text);
        assert.equal(
          v.get('bulwark_http_requests_total{route="/api/v1/reports",method="POST",status="201"}'),
          1,
        );
        assert.equal(
          v.get('bulwark_http_requests_total{route="/api/v1/reports",method="POST",status="200"}'),
          1,
        );
        // by route pattern, not by URL: an id does not make a series of its own
        assert.equal(
          v.get('bulwark_http_requests_total{route="/api/v1/images/:id",method="GET",status="404"}'),
          1,
        );
        assert.equal(v.get('bulwark_ingests_total{kind="report",outcome="stored"}'), 1);
        assert.equal(v.get('bulwark_ingests_total{kind="report",outcome="duplicate"}'), 1);
        assert.equal(v.get('bulwark_images'), 1);
        assert.equal(v.get('bulwark_scans'), 1);
        const inf = v.get(
          'bulwark_http_request_duration_seconds_bucket{route="/api/v1/reports",method="POST",le="+Inf"}',
        );
        assert.equal(inf, 2);
        assert.equal(
          v.get('bulwark_http_request_duration_seconds_count{route="/api/v1/reports",method="POST"}'),
          2,
        );
        // buckets never decrease
        let last = 0;
        for (const [k, n] of v)
          if (k.startsWith('bulwark_http_request_duration_seconds_bucket{route="/api/v1/reports"')) {
            assert.ok(n >= last);
            last = n;
          }
        assert.equal(v.has('bulwark_queue_depth'), false, 'no queue in this server: no queue series');
      });

    if (full)
      it('logs one JSON line per request with route, status, duration and user', async () => {
        await s.request('GET', '/api/v1/images?limit=5', { token: viewer });
        const reqLines = lines.filter((l) => l.msg === 'request');
        assert.ok(reqLines.length > 3);
        for (const l of reqLines) {
          assert.equal(typeof l.route, 'string');
          assert.equal(typeof l.status, 'number');
          assert.equal(typeof l.durationMs, 'number');
          assert.ok('user' in l);
        }
        const list = reqLines.filter((l) => l.route === '/api/v1/images' && l.status === 200);
        assert.ok(list.length >= 1);
        assert.match(String(list.at(-1)!.user), /^viewer-/);
        // never a header, a token or a query string
        const all = JSON.stringify(lines);
        assert.ok(!all.includes('bwk_'), 'no token in the logs');
        assert.ok(!all.includes('limit=5'));
      });

    it('answers open findings by severity per day for an image, its repository and the portfolio', async () => {
      const base = asImage(await demoReport(), 'series:1');
      base.createdAt = '2026-11-25T10:00:00.000Z';
      const gone = (f: { package: { name: string } }) => f.package.name === 'liblog4j2-java';
      const first = await s.request('POST', '/api/v1/reports', { token: analyst, body: base });
      assert.equal(first.status, 201, first.text);
      const imageId = (first.body as { imageId: number }).imageId;
      assert.equal(
        (
          await s.request('POST', '/api/v1/reports', {
            token: analyst,
            body: laterScan(base, '2026-11-28T10:00:00.000Z', gone),
          })
        ).status,
        201,
      );
      const states = await s.store.db
        .selectFrom('finding_state')
        .selectAll()
        .where('image_id', '=', imageId)
        .execute();
      const all = states.length;
      const fixed = states.filter((x) => x.fixed_at !== null).length;
      assert.ok(fixed > 0 && fixed < all);
      const img = await s.request('GET', `/api/v1/series?scope=image&id=${imageId}&days=10`, {
        token: viewer,
      });
      assert.equal(img.status, 200, img.text);
      const days = (img.body as { days: { date: string; total: number; CRITICAL: number }[] }).days;
      assert.equal(days.length, 10);
      assert.equal(days.at(-1)!.date, '2026-12-01');
      const at = (d: string) => days.find((x) => x.date === d)!.total;
      assert.equal(at('2026-11-24'), 0);
      assert.equal(at('2026-11-25'), all);
      assert.equal(at('2026-11-27'), all);
      assert.equal(at('2026-11-28'), all - fixed);
      assert.equal(at('2026-12-01'), all - fixed);
      const repo = await s.request(
        'GET',
        '/api/v1/series?scope=repository&id=docker.io/library/series&days=10',
        { token: viewer },
      );
      assert.equal(repo.status, 200, repo.text);
      assert.deepEqual((repo.body as { days: unknown[] }).days, days);
      const portfolio = await s.request('GET', '/api/v1/series?scope=portfolio', { token: viewer });
      assert.equal(portfolio.status, 200);
      assert.equal((portfolio.body as { days: unknown[] }).days.length, 30);
      assert.ok((portfolio.body as { days: { total: number }[] }).days.at(-1)!.total >= all - fixed);
      for (const bad of [
        'scope=image',
        'scope=image&id=abc',
        'scope=everything',
        'scope=image&id=1&days=9999',
        "scope=repository&id=' OR '1'='1",
      ]) {
        const x = await s.request('GET', `/api/v1/series?${bad}`, { token: viewer });
        assert.ok(x.status === 400 || (x.status === 200 && bad.includes('OR')), `${bad}: ${x.status}`);
        if (x.status === 200) assert.equal((x.body as { days: { total: number }[] }).days.at(-1)!.total, 0);
      }
      assert.equal(
        (await s.request('GET', '/api/v1/series?scope=image&id=999999', { token: viewer })).status,
        404,
      );
      assert.equal((await s.request('GET', '/api/v1/series?scope=portfolio')).status, 401);
    });
  });
}

describe('openFindingsPerDay', () => {
  it('counts a finding open from the day it was first seen until the day it was fixed', () => {
    const rows = [
      { severity: 'HIGH', first_seen: '2026-01-02T23:59:59.000Z', fixed_at: '2026-01-04T00:00:00.000Z' },
      { severity: 'LOW', first_seen: '2026-01-01T00:00:00.000Z', fixed_at: null },
      { severity: 'weird', first_seen: '2026-01-03T00:00:00.000Z', fixed_at: null },
    ];
    const d = openFindingsPerDay(rows, new Date('2026-01-04T12:00:00Z'), 4);
    assert.deepEqual(
      d.map((x) => {
        const c = x as unknown as Record<string, number>;
        return [x.date, x.total, c.HIGH, c.LOW, c.UNKNOWN];
      }),
      [
        ['2026-01-01', 1, 0, 1, 0],
        ['2026-01-02', 2, 1, 1, 0],
        ['2026-01-03', 3, 1, 1, 1],
        ['2026-01-04', 2, 0, 1, 1],
      ],
    );
  });
});

suite('SQLite', async () => ({ backend: { kind: 'sqlite' } }), true);

suite(
  'PostgreSQL',
  async () => {
    const cluster: PostgresCluster = await startPostgres();
    return { backend: { kind: 'postgres', url: await cluster.newDatabase() }, done: () => cluster.stop() };
  },
  false,
);
