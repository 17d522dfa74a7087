/**
 * SBOM upload over real HTTP: SBOMs bulwark itself writes of the demo image (its writers, on the
 * demo image's inventory) in both formats are matched on the server against the demo database and
 * stored as scans; hostile documents are refused with the right status.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inventoryOfReport } from '../../src/server/rematch.js';
import { renderSbom } from '../../src/sbom/index.js';
import { demoDbPath, demoReport } from './fixtures.js';
import { TestServer } from './harness.js';

type Result = {
  imageId: number;
  scanId: number;
  duplicate: boolean;
  findings: number;
  format: string;
  packages: number;
  skipped: number;
};
const errCode = (b: unknown) => (b as { error: { code: string } }).error.code;

describe('SBOM upload', () => {
  let s: TestServer;
  let token: string;
  let viewer: string;
  let cdx: string;
  let spdx: string;
  before(async () => {
    s = await TestServer.start(
      { kind: 'sqlite' },
      { maxReportBytes: 2 * 1024 * 1024, vulnDbPath: await demoDbPath() },
    );
    token = (await s.userWithToken('analyst')).token;
    viewer = (await s.userWithToken('viewer')).token;
    const inv = inventoryOfReport(await demoReport());
    const opts = { toolVersion: '0.1.0', timestamp: '2026-11-22T12:00:00Z' };
    cdx = await renderSbom(inv, 'cyclonedx', opts);
    spdx = await renderSbom(inv, 'spdx-json', opts);
  });
  after(async () => s?.close());

  it('matches a CycloneDX SBOM bulwark wrote and stores it as a scan of the image it names', async () => {
    const r = await demoReport();
    const up = await s.request('POST', '/api/v1/sboms', {
      token,
      raw: cdx,
      contentType: 'application/vnd.cyclonedx+json',
    });
    assert.equal(up.status, 201, up.text);
    const res = up.body as Result;
    assert.equal(res.format, 'cyclonedx');
    assert.equal(res.packages, r.packages.length);
    // the same inventory against the same database: the findings the CLI scan found
    assert.equal(res.findings, r.findings.length);
    const img = await s.request('GET', `/api/v1/images/${res.imageId}`, { token });
    assert.equal(img.status, 200, img.text);
    assert.equal((img.body as { repository: string }).repository, 'docker.io/library/demo');
    const scan = await s.request('GET', `/api/v1/scans/${res.scanId}`, { token });
    assert.equal(scan.status, 200);
    const stored = (scan.body as { report: { target: { layers: unknown[] }; findings: { id: string }[] } })
      .report;
    assert.equal(stored.target.layers.length, r.target.layers.length);
    assert.deepEqual(stored.findings.map((f) => f.id).sort(), r.findings.map((f) => f.id).sort());
    // the same document again is the same scan
    const again = await s.request('POST', '/api/v1/sboms', {
      token,
      raw: cdx,
      contentType: 'application/vnd.cyclonedx+json',
    });
    assert.equal(again.status, 200, again.text);
    assert.equal((again.body as Result).scanId, res.scanId);
    const log = await s.request('GET', '/api/v1/audit?action=sbom.ingest', { ...(await s.admin()) });
    assert.equal(log.status, 200, log.text);
    assert.ok(JSON.stringify(log.body).includes(`scan:${res.scanId}`));
  });

  it('matches an SPDX 2.3 SBOM bulwark wrote, stored under the image given', async () => {
    const r = await demoReport();
    const up = await s.request('POST', '/api/v1/sboms?image=registry.example/team/app:1.2', {
      token,
      raw: spdx,
      contentType: 'application/spdx+json',
    });
    assert.equal(up.status, 201, up.text);
    const res = up.body as Result;
    assert.equal(res.format, 'spdx');
    assert.equal(res.packages, r.packages.length);
    assert.equal(res.findings, r.findings.length);
    const img = await s.request('GET', `/api/v1/images/${res.imageId}`, { token });
    assert.deepEqual(
      [(img.body as { repository: string }).repository, (img.body as { tag: string }).tag],
      ['registry.example/team/app', '1.2'],
    );
  });

  it('refuses hostile documents with the right status', async () => {
    const post = (raw: string | Buffer, contentType = 'application/json', q = '') =>
      s.request('POST', `/api/v1/sboms${q}`, { token, raw, contentType });
    // too big: 413 before anything is parsed
    const huge = await post(Buffer.alloc(3 * 1024 * 1024, 0x20));
    assert.equal(huge.status, 413, huge.text);
    // too deep
    const deep = `{"bomFormat":"CycloneDX","specVersion":"1.6","components":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const d = await post(deep);
    assert.equal(d.status, 400, d.text);
    assert.equal(errCode(d.body), 'INVALID_SBOM');
    // not an SBOM, or an unsupported version
    for (const bad of [
      '[]',
      '{"bomFormat":"CycloneDX","specVersion":"1.3"}',
      '{"spdxVersion":"SPDX-2.2","packages":[]}',
      'not json',
    ]) {
      const x = await post(bad);
      assert.equal(x.status, 400, `${bad}: ${x.text}`);
      assert.equal(errCode(x.body), 'INVALID_SBOM');
    }
    // the subject is a path out of somewhere
    const doc = JSON.parse(cdx) as {
      metadata: { component: { name: string; properties: { name: string; value: string }[] } };
    };
    const t = structuredClone(doc);
    t.metadata.component.name = '../../../etc/passwd';
    t.metadata.component.properties = t.metadata.component.properties.filter(
      (p) => p.name !== 'bulwark:image:repoTag',
    );
    const tr = await post(JSON.stringify(t));
    assert.equal(tr.status, 400, tr.text);
    assert.equal(errCode(tr.body), 'INVALID_SBOM');
    const viaQuery = await post(cdx, 'application/json', '?image=..%2F..%2Fx');
    assert.equal(viaQuery.status, 400, viaQuery.text);
    // a component named as a path is skipped, the rest stored
    const c = JSON.parse(cdx) as {
      metadata: { timestamp: string };
      components: { name: string; purl?: string }[];
    };
    c.metadata.timestamp = '2026-11-23T00:00:00Z';
    const victim = c.components.find((x) => x.purl)!;
    victim.name = '../../etc/shadow';
    victim.purl = 'pkg:npm/..%2F..%2Fetc%2Fshadow@1.0.0';
    const one = await post(JSON.stringify(c));
    assert.equal(one.status, 201, one.text);
    assert.equal((one.body as Result).skipped, 1, one.text);
    assert.equal((one.body as Result).packages, (await demoReport()).packages.length - 1);
    // wrong media types
    for (const type of ['text/plain', 'application/xml', 'application/octet-stream']) {
      const x = await post(cdx, type);
      assert.equal(x.status, 415, `${type}: ${x.text}`);
    }
    // a viewer may not upload
    const v = await s.request('POST', '/api/v1/sboms', {
      token: viewer,
      raw: cdx,
      contentType: 'application/json',
    });
    assert.equal(v.status, 403);
  });
});

describe('SBOM upload without a vulnerability database', () => {
  it('answers 503', async () => {
    const s = await TestServer.start({ kind: 'sqlite' }, { vulnDbPath: undefined });
    try {
      const { token } = await s.userWithToken('analyst');
      const inv = inventoryOfReport(await demoReport());
      const raw = await renderSbom(inv, 'cyclonedx', { toolVersion: '0.1.0' });
      const r = await s.request('POST', '/api/v1/sboms', { token, raw, contentType: 'application/json' });
      assert.equal(r.status, 503, r.text);
    } finally {
      await s.close();
    }
  });
});
