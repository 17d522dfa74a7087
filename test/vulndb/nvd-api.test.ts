/**
 * The NVD CVE API 2.0 client against a local server serving the recorded NVD records: paging,
 * lastModified windows, the apiKey header, NVD's pace and its 403/429/503 answers (with a sleep
 * that records instead of waiting), hostile pages, and `db update` runs that opt in (or not).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { silentProgress } from '../../src/core/progress.js';
import { fetchNvdApi, nvdPageDelayMs, nvdWindows, type NvdApiOptions } from '../../src/vulndb/nvd-api.js';
import type { NvdEntry } from '../../src/vulndb/nvd.js';
import { dbStatus, openVulnDb, updateDb } from '../../src/vulndb/index.js';
import { makeMirror, removeDir, tempDir } from './helpers/fixtures.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';
import { loadNvdRecords, recordingSleep, startNvdServer, type NvdServer } from './helpers/nvd-server.js';

const RECORDS = loadNvdRecords();
const UNTIL = new Date('2026-11-20T00:00:00Z');

async function expectError(p: Promise<unknown>, code: string, input: string | RegExp): Promise<BulwarkError> {
  const err = await p.then(
    () => assert.fail('expected an error'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof BulwarkError, String(err));
  assert.equal(err.code, code, err.message);
  if (typeof input === 'string') assert.equal(err.input, input);
  else assert.match(err.input ?? '', input);
  return err;
}

describe('NVD CVE API 2.0 client', () => {
  let server: NvdServer;
  let dir: string;
  before(async () => {
    server = await startNvdServer();
    dir = tempDir('nvd-api');
  });
  after(async () => {
    await server.close();
    removeDir(dir);
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.ignoreStartIndex = false;
    server.setRecords(RECORDS);
  });

  function run(extra: Partial<NvdApiOptions> = {}) {
    const entries: NvdEntry[] = [];
    const clock = recordingSleep();
    const out = fetchNvdApi({
      url: server.url,
      until: UNTIL,
      destDir: dir,
      progress: silentProgress,
      onEntry: (e) => entries.push(e),
      sleep: clock.sleep,
      fetch: { retries: 3, timeoutMs: 5000 },
      ...extra,
    });
    return { out, entries, waits: clock.waits };
  }

  it('pages by startIndex until totalResults, pacing requests 6 s apart without a key', async () => {
    const r = run({ resultsPerPage: 5 });
    const out = await r.out;
    assert.deepEqual(out, { records: 24, bad: 0, pages: 5 });
    assert.deepEqual(
      server.requests.map((q) => [q.params.startIndex, q.params.resultsPerPage]),
      [
        ['0', '5'],
        ['5', '5'],
        ['10', '5'],
        ['15', '5'],
        ['20', '5'],
      ],
    );
    assert.ok(
      server.requests.every((q) => q.apiKey === undefined && q.params.lastModStartDate === undefined),
    );
    // a pause before every request but the first: NVD's 5 requests per rolling 30 s
    assert.deepEqual(r.waits, [6000, 6000, 6000, 6000]);
    assert.deepEqual(
      r.entries.map((e) => e.cve),
      RECORDS.map((c) => c.id),
    );
  });

  it('keeps one vector per CVSS version, NVD Primary over a CNA Secondary', async () => {
    const r = run();
    await r.out;
    const e = r.entries.find((x) => x.cve === 'CVE-2022-1292')!;
    const rec = RECORDS.find((c) => c.id === 'CVE-2022-1292')!;
    const v31 = (rec.metrics!.cvssMetricV31 as { type: string; cvssData: { vectorString: string } }[]).find(
      (m) => m.type === 'Primary',
    )!;
    assert.deepEqual(
      e.severity.map((v) => [v.type, v.primary, v.source]),
      [
        ['CVSS_V3', true, 'nvd@nist.gov'],
        ['CVSS_V2', true, 'nvd@nist.gov'],
      ],
    );
    assert.equal(e.severity[0]!.score, v31.cvssData.vectorString);
    assert.equal(e.status, 'Analyzed');
    assert.equal(e.lastModified, rec.lastModified);
  });

  it('sends the key as the apiKey header and paces at 50 requests per 30 s', async () => {
    const r = run({ resultsPerPage: 10, apiKey: 'test-key-123' });
    await r.out;
    assert.equal(server.requests.length, 3);
    assert.ok(server.requests.every((q) => q.apiKey === 'test-key-123'));
    assert.deepEqual(r.waits, [600, 600]);
    assert.equal(nvdPageDelayMs(undefined), 6000);
    assert.equal(nvdPageDelayMs('k'), 600);
  });

  it('asks only for CVEs modified since the previous run, in windows of at most 120 days', async () => {
    const since = new Date('2026-05-01T00:00:00Z');
    const r = run({ since });
    await r.out;
    const windows = server.requests.map((q) => [q.params.lastModStartDate, q.params.lastModEndDate]);
    assert.deepEqual(windows, [
      ['2026-05-01T00:00:00.000+00:00', '2026-08-29T00:00:00.000+00:00'],
      ['2026-08-29T00:00:00.000+00:00', '2026-11-20T00:00:00.000+00:00'],
    ]);
    const expected = RECORDS.filter((c) => Date.parse(`${c.lastModified}Z`) >= since.getTime()).map(
      (c) => c.id,
    );
    assert.ok(expected.length > 0 && expected.length < RECORDS.length);
    assert.deepEqual(
      r.entries.map((e) => e.cve),
      expected,
    );
    assert.deepEqual(nvdWindows(UNTIL, UNTIL), [[UNTIL, UNTIL]]);
  });

  it('waits out 403 (NVD rate limit), 429 with Retry-After and 503, then carries on', async () => {
    server.script({ status: 403 }, { status: 429, retryAfter: '7' }, { status: 503 });
    const r = run({ resultsPerPage: 12, pageDelayMs: 100 });
    const out = await r.out;
    assert.equal(out.records, 24);
    assert.deepEqual(
      server.requests.map((q) => q.status),
      [403, 429, 503, 200, 200],
    );
    // backoff doubles from the page delay; Retry-After (seconds) wins when given; then the page pace
    assert.deepEqual(r.waits, [100, 7000, 400, 100]);
  });

  it('gives up after its retries with a FEED error naming the request URL', async () => {
    server.script({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const r = run();
    const err = await expectError(r.out, 'FEED', /^http:\/\/127\.0\.0\.1:\d+\/rest\/json\/cves\/2\.0\?/);
    assert.match(err.message, /HTTP 503/);
    assert.equal(server.requests.length, 4);
  });

  it('rejects a garbled page, a page that is not NVD, an oversized page and a server ignoring startIndex', async () => {
    server.script({ body: '{"resultsPerPage": 2000, "vulnerabilities": [{"cve": ' });
    await expectError(run().out, 'FEED', /startIndex=0/);
    server.script({ body: JSON.stringify({ hello: 'world' }) });
    await expectError(run().out, 'FEED', /startIndex=0/);
    server.script({ body: Buffer.alloc(64 * 1024, 0x20) });
    await expectError(run({ maxPageBytes: 16 * 1024 }).out, 'LIMIT_EXCEEDED', /startIndex=0/);
    server.script({
      body: JSON.stringify({ resultsPerPage: 1, startIndex: 0, totalResults: 1e9, vulnerabilities: [] }),
    });
    await expectError(run().out, 'LIMIT_EXCEEDED', /startIndex=0/);
    server.ignoreStartIndex = true;
    const err = await expectError(run({ resultsPerPage: 5 }).out, 'FEED', /startIndex=5/);
    assert.match(err.message, /startIndex 0/);
  });

  it('counts a malformed record and keeps the others', async () => {
    const broken = { ...RECORDS[0]!, id: 'not-a-cve' };
    server.setRecords([broken, ...RECORDS.slice(1)]);
    const r = run();
    assert.deepEqual(await r.out, { records: 23, bad: 1, pages: 1 });
  });
});

describe('db update and the NVD API', () => {
  let mirror: MirrorServer;
  let nvd: NvdServer;
  let dir: string;
  before(async () => {
    dir = tempDir('nvd-update');
    mirror = await startMirrorServer(makeMirror(path.join(dir, 'mirror'), ['npm']));
    nvd = await startNvdServer();
  });
  after(async () => {
    await mirror.close();
    await nvd.close();
    removeDir(dir);
  });

  it('does not contact NVD unless asked: no API option, no feeds, no mirror nvd/ folder', async () => {
    const dbPath = path.join(dir, 'plain', 'bulwark.db');
    const res = await updateDb({ dbPath, mirror: mirror.url, debianTracker: false, epss: false });
    assert.equal(nvd.requests.length, 0);
    assert.equal(dbStatus(dbPath).counts.nvd, 0);
    // the mirror's nvd/ folder is looked for (and missing), the API never
    assert.equal(res.sources.find((s) => s.kind === 'nvd')?.status, 'missing');
  });

  it('reads every CVE the first time, then only the increment since the previous run', async () => {
    const dbPath = path.join(dir, 'api', 'bulwark.db');
    const clock = recordingSleep();
    let now = new Date('2026-11-01T00:00:00Z');
    const opts = {
      dbPath,
      mirror: mirror.url,
      debianTracker: false as const,
      epss: false,
      now: () => now,
      nvd: { api: true, apiUrl: nvd.url, apiKey: 'k', resultsPerPage: 10, sleep: clock.sleep },
    };
    nvd.requests.length = 0;
    const first = await updateDb(opts);
    const src = first.sources.find((s) => s.name === 'nvd')!;
    assert.equal(src.status, 'downloaded');
    assert.equal(src.records, 24);
    assert.equal(src.lastModified, '2026-11-01T00:00:00.000Z');
    assert.equal(nvd.requests.length, 3);
    assert.ok(nvd.requests.every((q) => q.params.lastModStartDate === undefined && q.apiKey === 'k'));

    // NVD re-analyses one CVE: the increment carries it and the stored vector changes
    const changed = RECORDS.map((c) =>
      c.id === 'CVE-2022-1292'
        ? { ...c, lastModified: '2026-11-10T08:00:00.000', vulnStatus: 'Rejected' }
        : c,
    );
    nvd.setRecords(changed);
    nvd.requests.length = 0;
    now = new Date('2026-11-15T00:00:00Z');
    const second = await updateDb(opts);
    assert.deepEqual(
      nvd.requests.map((q) => [q.params.lastModStartDate, q.params.lastModEndDate]),
      [['2026-11-01T00:00:00.000+00:00', '2026-11-15T00:00:00.000+00:00']],
    );
    const src2 = second.sources.find((s) => s.name === 'nvd')!;
    assert.equal(src2.status, 'downloaded');
    assert.equal(src2.records, 24);
    const db = openVulnDb(dbPath);
    try {
      // rejected later: the older rating is gone; the other CVEs are still rated
      assert.deepEqual(db.nvd!(['CVE-2022-1292']), []);
      assert.equal(db.nvd!(['CVE-2022-2068']).length, 1);
    } finally {
      db.close();
    }

    // NVD down: the previous copy is kept and the update succeeds with a warning
    nvd.script({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    now = new Date('2026-11-16T00:00:00Z');
    const third = await updateDb(opts);
    assert.equal(third.sources.find((s) => s.name === 'nvd')!.status, 'kept');
    assert.ok(third.warnings.some((w) => /nvd API unavailable .*HTTP 503.*keeping the copy/.test(w)));
    assert.equal(dbStatus(dbPath).counts.nvd, 24);

    // a later run that does not opt in (a mirror without nvd/) keeps the NVD rows, no request
    nvd.requests.length = 0;
    const fourth = await updateDb({ dbPath, mirror: mirror.url, debianTracker: false, epss: false });
    assert.equal(nvd.requests.length, 0);
    assert.equal(fourth.sources.find((s) => s.name === 'nvd')!.status, 'kept');
    assert.equal(dbStatus(dbPath).counts.nvd, 24);
  });
});
