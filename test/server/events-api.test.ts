import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoReport, laterScan } from './fixtures.js';
import { TestServer } from './harness.js';

describe('GET /api/v1/events', () => {
  let s: TestServer;
  before(async () => {
    s = await TestServer.start({ kind: 'sqlite' });
  });
  after(async () => s.close());

  it('lists the events of uploads to a viewer, by type and time, and refuses bad filters', async () => {
    const analyst = await s.userWithToken('analyst');
    const viewer = await s.userWithToken('viewer');
    const r = await demoReport();
    assert.equal((await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r })).status, 201);
    s.now += 3600_000;
    const later = laterScan(r, '2026-12-02T00:00:00.000Z', (f) => f.package.name === 'liblog4j2-java');
    assert.equal(
      (await s.request('POST', '/api/v1/reports', { token: analyst.token, body: later })).status,
      201,
    );

    const all = await s.request('GET', '/api/v1/events', { token: viewer.token });
    assert.equal(all.status, 200, all.text);
    const events = (all.body as { events: { id: number; type: string; at: string }[] }).events;
    assert.deepEqual(
      events.map((e) => e.type),
      ['scan.completed', 'scan.completed', 'finding.fixed'],
    );
    const fixed = await s.request('GET', '/api/v1/events?type=finding.fixed', { token: viewer.token });
    assert.equal((fixed.body as { events: unknown[] }).events.length, 1);
    const since = await s.request('GET', `/api/v1/events?since=${encodeURIComponent(events[1]!.at)}`, {
      token: viewer.token,
    });
    assert.equal((since.body as { events: unknown[] }).events.length, 2);
    const paged = await s.request('GET', `/api/v1/events?afterId=${events[0]!.id}&limit=1`, {
      token: viewer.token,
    });
    assert.deepEqual(
      (paged.body as { events: { id: number }[] }).events.map((e) => e.id),
      [events[1]!.id],
    );
    for (const bad of ['since=yesterday', 'since=2026-13-45T99:00:00Z', 'type=nope', 'limit=0'])
      assert.equal(
        (await s.request('GET', `/api/v1/events?${bad}`, { token: viewer.token })).status,
        400,
        bad,
      );
    assert.equal((await s.request('GET', '/api/v1/events')).status, 401);
  });
});
