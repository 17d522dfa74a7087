import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asImage, demoDbPath, demoReport } from './fixtures.js';
import { TestServer } from './harness.js';

describe('re-match of stored inventories', () => {
  let s: TestServer;
  let analyst: Awaited<ReturnType<TestServer['userWithToken']>>;
  before(async () => {
    s = await TestServer.start({ kind: 'sqlite' }, { vulnDbPath: await demoDbPath() });
    analyst = await s.userWithToken('analyst');
  });
  after(async () => s.close());

  it('finds exactly what the CLI found when the database is the one the scan used', async () => {
    const r = await demoReport();
    const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
    assert.equal(up.status, 201);
    const res = await s.request('POST', '/api/v1/rematch', { token: analyst.token, body: {} });
    assert.equal(res.status, 200, res.text);
    const [img] = (res.body as { images: { new: string[]; vanished: string[]; scanId: number | null }[] })
      .images;
    assert.deepEqual(img, { ...img!, new: [], vanished: [], scanId: null });
  });

  it('turns a database change into new and vanished findings, stored as a new scan', async () => {
    // as if scanned with an older database: one real finding missing, one that no longer holds
    const r = asImage(await demoReport(), 'older:1');
    const missing = r.findings.shift()!;
    const stale = structuredClone(r.findings[0]!);
    stale.id = 'CVE-1999-0001';
    r.findings.push(stale);
    const up = await s.request('POST', '/api/v1/reports', { token: analyst.token, body: r });
    const { imageId, scanId } = up.body as { imageId: number; scanId: number };
    const res = await s.request('POST', '/api/v1/rematch', {
      token: analyst.token,
      body: { imageIds: [imageId] },
    });
    assert.equal(res.status, 200, res.text);
    const [img] = (
      res.body as { images: { imageId: number; new: string[]; vanished: string[]; scanId: number }[] }
    ).images;
    assert.equal(img!.imageId, imageId);
    assert.deepEqual(img!.new, [
      `${missing.id} ${missing.package.ecosystem}/${missing.package.name} ${missing.package.location}`,
    ]);
    assert.deepEqual(img!.vanished, [
      `CVE-1999-0001 ${stale.package.ecosystem}/${stale.package.name} ${stale.package.location}`,
    ]);
    const diff = await s.request('GET', `/api/v1/images/${imageId}/diff`, { token: analyst.token });
    const d = diff.body as {
      from: number;
      to: number;
      new: { vulnId: string }[];
      fixed: { vulnId: string }[];
    };
    assert.equal(d.from, scanId);
    assert.equal(d.to, img!.scanId);
    assert.deepEqual(
      d.new.map((f) => f.vulnId),
      [missing.id],
    );
    assert.deepEqual(
      d.fixed.map((f) => f.vulnId),
      ['CVE-1999-0001'],
    );
    const viewer = await s.userWithToken('viewer');
    assert.equal((await s.request('POST', '/api/v1/rematch', { token: viewer.token, body: {} })).status, 403);
  });

  it('says so when the server has no vulnerability database', async () => {
    const bare = await TestServer.start({ kind: 'sqlite' });
    try {
      const a = await bare.userWithToken('analyst');
      const r = await bare.request('POST', '/api/v1/rematch', { token: a.token, body: {} });
      assert.equal(r.status, 503);
      assert.equal((r.body as { error: { code: string } }).error.code, 'NO_VULN_DB');
    } finally {
      await bare.close();
    }
  });
});
