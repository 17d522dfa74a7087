import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type { CheckFinding } from '../../src/checks/index.js';
import { renderReport, type ScanReport } from '../../src/report/index.js';
import { scanImage } from '../../src/scan/index.js';
import {
  BUILD_TOKEN,
  buildHygieneImage,
  CURL_PASS,
  DB_PASSWORD,
  realPrivateKey,
  writeHygieneLayout,
} from './helpers.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const AjvDraft04 = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const readJson = (p: string) => JSON.parse(readFileSync(path.resolve(p), 'utf8')) as object;

describe('image-config checks through scanImage (real analyzers, image built in code)', () => {
  let dir: string;
  let report: ScanReport;
  const byRule = (id: string): CheckFinding[] =>
    (report.misconfigurations ?? []).filter((f) => f.ruleId === `image-config/${id}`);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bw-imgcfg-'));
    const img = await buildHygieneImage(realPrivateKey(dir));
    await writeHygieneLayout(path.join(dir, 'oci'), img);
    report = await scanImage({
      inputPath: path.join(dir, 'oci'),
      cacheDir: path.join(dir, 'cache'),
      dbPath: path.join(dir, 'no.db'),
      useLayerCache: false,
      scanners: ['misconfig'],
      toolVersion: 'test',
    });
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('runs without a vulnerability database when only misconfig is asked for', () => {
    assert.deepEqual(report.findings, []);
    assert.equal(report.db, undefined);
    assert.equal(report.secrets, undefined, 'the secret scanner did not run');
    assert.ok(report.packages.some((p) => p.name === 'openssh-server'));
  });

  it('reports root user, no healthcheck and exposed port 22 from the config', () => {
    assert.equal(byRule('root-user')[0]?.field, 'config.User');
    assert.equal(byRule('root-user')[0]?.file, path.join(dir, 'oci'));
    assert.equal(byRule('no-healthcheck')[0]?.field, 'config.Healthcheck');
    assert.deepEqual(
      byRule('expose-ssh').map((f) => f.field),
      ['config.ExposedPorts["22/tcp"]'],
    );
  });

  it('finds the secret in Env and labels, never printing the value', async () => {
    const env = byRule('secrets-in-env');
    assert.deepEqual(
      env.map((f) => f.field),
      ['config.Env[1]'],
      'DB_PASSWORD only: DB_PASSWORD_FILE is a path, PWD the working directory',
    );
    assert.match(env[0]!.message, /DB_PASSWORD/);
    assert.deepEqual(
      byRule('secrets-in-labels').map((f) => f.field),
      ['config.Labels["deploy.api_token"]'],
    );
    for (const format of ['json', 'table', 'sarif']) {
      const text = await renderReport(format, report);
      for (const secret of [DB_PASSWORD, BUILD_TOKEN, CURL_PASS])
        assert.ok(!text.includes(secret), `${format} output leaks ${secret}`);
    }
    // the history is still shown, with the values masked
    const json = JSON.parse(await renderReport('json', report)) as {
      target: { layers: { createdBy: string }[] };
    };
    assert.match(json.target.layers[1]!.createdBy, /RUN \|1 API_TOKEN=\*{4} .*curl -u deploy:\*{4} https/);
  });

  it('attributes history findings to the history entry and the layer it made', () => {
    const hist = byRule('secrets-in-history');
    assert.deepEqual(hist.map((f) => f.field).sort(), ['history[2].created_by', 'history[2].created_by']);
    assert.ok(hist.some((f) => /API_TOKEN/.test(f.message)));
    assert.ok(hist.some((f) => /curl -u/.test(f.message)));
    assert.equal(hist[0]?.layer?.index, 1);
    const add = byRule('add-remote-url');
    assert.equal(add.length, 1);
    assert.equal(add[0]?.field, 'history[3].created_by');
    assert.equal(add[0]?.layer?.index, 2);
    assert.match(add[0]!.message, /https:\/\/example\.com\/helper\.tar\.gz/);
    const up = byRule('package-upgrade');
    assert.equal(up[0]?.field, 'history[2].created_by');
    assert.match(up[0]!.message, /apt-get dist-upgrade/);
  });

  it('reports setuid files with their layer: shipped ones LOW, the added helper MEDIUM', () => {
    const known = byRule('setuid-known');
    assert.deepEqual(known.map((f) => f.object).sort(), ['usr/bin/passwd', 'usr/bin/su']);
    assert.ok(known.every((f) => f.severity === 'LOW' && f.layer?.index === 0));
    const odd = byRule('setuid-unexpected');
    assert.equal(odd.length, 1);
    assert.equal(odd[0]?.object, 'usr/local/bin/helper');
    assert.equal(odd[0]?.severity, 'MEDIUM');
    assert.equal(odd[0]?.layer?.index, 2);
    assert.match(odd[0]!.message, /setuid\+setgid \(mode 6755\)/);
  });

  it('reports sshd and sudo from the dpkg database, with the layer that installed them', () => {
    const ssh = byRule('ssh-server-installed');
    assert.equal(ssh[0]?.object, 'openssh-server@1:9.2p1-2+deb12u2');
    assert.equal(ssh[0]?.layer?.index, 1);
    const sudo = byRule('sudo');
    assert.equal(sudo[0]?.object?.startsWith('sudo@'), true);
    assert.equal(sudo[0]?.layer?.index, 0);
  });

  it('aggregates package caches per folder, ignoring apt lock files and partial/', () => {
    const caches = byRule('package-cache').sort((a, b) => (a.object! < b.object! ? -1 : 1));
    assert.deepEqual(
      caches.map((f) => [f.object, f.layer?.index]),
      [
        ['var/cache/apt/archives', 1],
        ['var/lib/apt/lists', 1],
      ],
    );
    assert.match(caches[1]!.message, /apt left 3\.9 KiB in var\/lib\/apt\/lists \(2 files\)/);
    assert.match(caches[0]!.message, /apt left 500 B in var\/cache\/apt\/archives \(1 files\)/);
  });

  it('notes credential files (private key, git credentials) but not vendored test keys or a token-less .npmrc', () => {
    const creds = byRule('credential-file');
    assert.deepEqual(
      creds.map((f) => [f.object, f.layer?.index]),
      [
        ['root/.git-credentials', 3],
        ['root/.ssh/id_ed25519', 3],
      ],
    );
    assert.ok(
      !JSON.stringify(report).includes('glpat-abcdefghijklmnopqrst'),
      'the credential is never read out',
    );
  });

  it('has no latest-tag finding for an archive (no reference was named)', () => {
    assert.deepEqual(byRule('latest-tag'), []);
  });

  it('applies --severity and ignore-file entries by rule id or alias to misconfigurations', async () => {
    const ignore = path.join(dir, 'ignore.yaml');
    await writeFile(
      ignore,
      [
        'ignore:',
        '  - id: image-config/root-user',
        '    reason: the entrypoint drops to uid 1000 with setpriv',
        '  - id: DKL-DI-0005',
        '    reason: caches removed by the squash step',
        '  - id: CVE-2024-0001',
        '    package: sudo',
        '    reason: a vulnerability entry, not for misconfigurations',
        '',
      ].join('\n'),
    );
    const r = await scanImage({
      inputPath: path.join(dir, 'oci'),
      cacheDir: path.join(dir, 'cache'),
      dbPath: path.join(dir, 'no.db'),
      scanners: ['misconfig'],
      severities: ['HIGH', 'LOW'],
      ignoreFile: ignore,
      toolVersion: 'test',
    });
    const ids = new Set((r.misconfigurations ?? []).map((f) => f.ruleId));
    assert.ok(!ids.has('image-config/root-user'));
    assert.ok(!ids.has('image-config/package-cache'));
    assert.ok(!ids.has('image-config/setuid-unexpected'), 'MEDIUM is filtered out');
    assert.ok(ids.has('image-config/no-healthcheck') && ids.has('image-config/secrets-in-env'));
    assert.ok((r.misconfigurations ?? []).every((f) => f.severity === 'HIGH' || f.severity === 'LOW'));
    assert.deepEqual((r.suppressedMisconfigurations ?? []).map((s) => [s.ruleId, s.suppressedBy]).sort(), [
      ['image-config/package-cache', 'ignore-file'],
      ['image-config/package-cache', 'ignore-file'],
      ['image-config/root-user', 'ignore-file'],
    ]);
  });

  it('renders JSON valid against the report schema, with misconfigurations and their layers', async () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(readJson('src/report/schema/report.schema.json'));
    const doc = JSON.parse(await renderReport('json', report)) as {
      misconfigurations: { ruleId: string; field: string | null; layer: { index: number } | null }[];
      suppressedMisconfigurations: unknown[];
      secrets?: unknown;
    };
    assert.equal(validate(doc), true, JSON.stringify(validate.errors, null, 2));
    const helper = doc.misconfigurations.find((f) => f.ruleId === 'image-config/setuid-unexpected');
    assert.equal(helper?.layer?.index, 2);
    assert.deepEqual(doc.suppressedMisconfigurations, []);
    assert.equal('secrets' in doc, false, 'no secrets key when that scanner did not run');
  });

  it('renders SARIF valid against the official 2.1.0 schema, file findings pointing into the image', async () => {
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(readJson('test/fixtures/schemas/sarif-schema-2.1.0.json'));
    const log = JSON.parse(await renderReport('sarif', report)) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: {
          ruleId: string;
          locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
        }[];
      }[];
    };
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
    const run = log.runs[0]!;
    assert.ok(run.tool.driver.rules.some((r) => r.id === 'image-config/root-user'));
    const uri = (id: string) =>
      run.results.find((r) => r.ruleId === id)?.locations[0]?.physicalLocation.artifactLocation.uri;
    assert.equal(uri('image-config/setuid-unexpected'), 'usr/local/bin/helper');
    assert.equal(uri('image-config/credential-file'), 'root/.git-credentials');
  });

  it('prints an image configuration section in the table', async () => {
    const text = await renderReport('table', report);
    assert.match(text, /\nImage configuration\nTotal: \d+ \(CRITICAL: 0, HIGH: \d+/);
    assert.match(text, /image-config\/setuid-unexpected/);
    assert.doesNotMatch(text, /\nSecrets\n/);
  });
});
