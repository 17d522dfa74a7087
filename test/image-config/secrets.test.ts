import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { renderReport, type ScanReport } from '../../src/report/index.js';
import { scanImage } from '../../src/scan/index.js';
import { runCli } from '../cli/helpers.js';
import { buildLayer, imageConfig, writeOciLayout } from '../image/helpers.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;

const PAT = 'ghp_R8xk2LmQ9vT4wZ7pN3sB6yH1cJ5dF0gA2eKq';
const AWS_ID = 'AKIAZ4TQ7XK2NPLM3QWE';
const CONFIG = `service:\n  name: api\n  token: ${PAT}\n`;
const DOTENV = `AWS_ACCESS_KEY_ID=${AWS_ID}\n`;

describe('secrets and hygiene facts in image scans (whiteout-aware, redacted, layer-attributed)', () => {
  let dir: string;
  let oci: string;
  let report: ScanReport;
  const scan = (extra: Record<string, unknown> = {}) =>
    scanImage({
      inputPath: oci,
      cacheDir: path.join(dir, 'cache'),
      dbPath: path.join(dir, 'no.db'),
      scanners: ['misconfig', 'secret'],
      toolVersion: 'test',
      ...extra,
    });

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bw-imgcfg-sec-'));
    oci = path.join(dir, 'oci');
    const l0 = await buildLayer([{ name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.1\n' }]);
    const l1 = await buildLayer([
      { name: 'app/config.yml', content: CONFIG },
      { name: 'app/.env', content: DOTENV },
      { name: 'var/cache/apk/APKINDEX.1.tar.gz', content: 'z'.repeat(200) },
      { name: 'usr/local/bin/tool', content: 'x', mode: 0o4755 },
    ]);
    // the next layer deletes the .env file and the whole apk cache, and clears the setuid bit
    const l2 = await buildLayer([
      { name: 'app/.wh..env', content: '' },
      { name: 'var/cache/apk/.wh..wh..opq', content: '' },
      { name: 'usr/local/bin/tool', content: 'x', mode: 0o755 },
    ]);
    const layers = [l0, l1, l2];
    await writeOciLayout(oci, [
      {
        layers,
        tag: 'x',
        config: imageConfig(layers, {
          config: { User: '1000', Healthcheck: { Test: ['CMD', 'true'] } },
          history: [
            { created_by: 'ADD alpine-minirootfs.tar.gz / # buildkit' },
            { created_by: 'COPY . /app # buildkit' },
            {
              created_by:
                'RUN /bin/sh -c rm -f /app/.env && rm -rf /var/cache/apk/* && chmod u-s /usr/local/bin/tool # buildkit',
            },
          ],
        }),
      },
    ]);
    report = await scan();
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('reports secrets of the visible files only, with their layer, redacted', () => {
    const s = report.secrets ?? [];
    assert.deepEqual(
      s.map((x) => [x.ruleId, x.file, x.line, x.layer?.index]),
      [['secrets/github-pat', 'app/config.yml', 3, 1]],
      'app/.env was deleted by layer 2',
    );
    assert.equal(s[0]?.severity, 'CRITICAL');
    assert.ok(!s[0]!.match.includes(PAT.slice(8)));
  });

  it('has no hygiene findings for what a later layer removed', () => {
    assert.deepEqual(report.misconfigurations, [], JSON.stringify(report.misconfigurations));
  });

  it('never prints a secret in any format, and SARIF stays valid with secret results', async () => {
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(
      JSON.parse(
        readFileSync(path.resolve('test/fixtures/schemas/sarif-schema-2.1.0.json'), 'utf8'),
      ) as object,
    );
    for (const format of ['json', 'table', 'sarif', 'cyclonedx']) {
      const text = await renderReport(format, report);
      assert.ok(!text.includes(PAT) && !text.includes(AWS_ID), format);
      if (format === 'sarif') {
        const log = JSON.parse(text) as { runs: { results: { ruleId: string; locations: unknown[] }[] }[] };
        assert.equal(validate(log), true, JSON.stringify(validate.errors));
        assert.deepEqual(
          log.runs[0]!.results.map((r) => r.ruleId),
          ['secrets/github-pat'],
        );
      }
      if (format === 'table') assert.match(text, /\nSecrets\nTotal: 1 \(CRITICAL: 1,/);
    }
  });

  it('applies --severity and ignore entries by rule id to secrets', async () => {
    assert.deepEqual((await scan({ severities: ['HIGH'] })).secrets, []);
    const ignore = path.join(dir, 'ignore.yaml');
    await writeFile(ignore, 'ignore:\n  - id: secrets/github-pat\n    reason: revoked test token\n');
    const r = await scan({ ignoreFile: ignore });
    assert.deepEqual(r.secrets, []);
    assert.deepEqual(
      r.suppressedSecrets?.map((s) => [s.ruleId, s.reason]),
      [['secrets/github-pat', 'revoked test token']],
    );
  });

  it('bulwark fs --scanners secret finds secrets in a project folder and sets --exit-code', async () => {
    const proj = path.join(dir, 'proj');
    await mkdir(proj, { recursive: true });
    await writeFile(path.join(proj, '.env'), DOTENV);
    const run = await runCli(['fs', proj, '--scanners', 'secret', '--format', 'json', '--exit-code', '3'], {
      XDG_CACHE_HOME: path.join(dir, 'cache'),
    });
    assert.equal(run.code, 3, run.stderr);
    const r = JSON.parse(run.stdout) as { secrets: { ruleId: string; file: string; layer: unknown }[] };
    assert.deepEqual(
      r.secrets.map((s) => [s.ruleId, s.file, s.layer]),
      [['secrets/aws-access-key-id', '.env', null]],
    );
    assert.ok(!run.stdout.includes(AWS_ID));
  });
});
