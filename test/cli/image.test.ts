import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startRegistry, type RunningRegistry } from '../registry/helpers.js';
import { hasStackTrace, REPO, runCli } from './helpers.js';

const execFileP = promisify(execFile);
const DEMO = path.join(REPO, 'data/demo/demo-image.oci.tar');

interface JsonFinding {
  id: string;
  aliases: string[];
  fixedVersion: string | null;
  severity: string;
  kev: unknown;
  severitySource: { source: string; record: string; type: string } | null;
  package: { name: string; version: string; ecosystem: string; purl: string };
  layer: { digest: string; diffId: string; createdBy?: string } | null;
}
interface JsonReport {
  schemaVersion: string;
  findings: JsonFinding[];
  packages: { name: string }[];
  suppressed: (JsonFinding & { suppression: { reason: string } })[];
}

describe('bulwark image (end to end, from source)', () => {
  let cache: string;
  let env: Record<string, string>;
  before(async () => {
    cache = await mkdtemp(path.join(os.tmpdir(), 'bw-cli-'));
    env = { XDG_CACHE_HOME: cache };
  });
  after(async () => rm(cache, { recursive: true, force: true }));

  it('scans the bundled demo image offline by default, with real findings attributed to layers', async () => {
    const run = await runCli(['image', '--format', 'json'], env);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.ok(report.schemaVersion);
    assert.equal(report.packages.length, 23, '19 Debian packages and 4 installed npm packages');
    const lodash = report.findings.find((f) => f.id === 'CVE-2021-23337');
    assert.equal(lodash?.package.purl, 'pkg:npm/lodash@4.17.15');
    assert.deepEqual(lodash?.aliases, ['GHSA-35jh-r3h4-6jhm']);
    assert.equal(lodash?.fixedVersion, '4.17.21');
    assert.match(lodash?.layer?.createdBy ?? '', /COPY dir/);
    const log4shell = report.findings.find((f) => f.id === 'CVE-2021-44228');
    assert.ok(log4shell, 'Log4Shell must be found in liblog4j2-java (source apache-log4j2)');
    assert.equal(log4shell.package.name, 'liblog4j2-java');
    assert.equal(log4shell.fixedVersion, '2.15.0-1~deb11u1');
    assert.ok(log4shell.kev, 'CVE-2021-44228 is in CISA KEV');
    assert.match(log4shell.layer?.createdBy ?? '', /libexpat1 libtiff5 liblog4j2-java/);
    // zlib1g is matched through its source package and an epoch version
    const zlib = report.findings.filter((f) => f.package.name === 'zlib1g').map((f) => f.id);
    assert.deepEqual(zlib.sort(), ['CVE-2018-25032', 'CVE-2022-37434']);
    // libssl1.1 comes from the base layer, the openssl binary from the apt layer
    const ssl = report.findings.find((f) => f.package.name === 'libssl1.1' && f.id === 'DSA-5343-1');
    const bin = report.findings.find((f) => f.package.name === 'openssl' && f.id === 'DSA-5343-1');
    assert.match(ssl?.layer?.createdBy ?? '', /ADD file/);
    assert.match(bin?.layer?.createdBy ?? '', /apt-get install -y --no-install-recommends curl/);
    assert.equal(ssl?.fixedVersion, '1.1.1n-0+deb11u4');
    // nothing that the feed does not say: bash, coreutils, tar, base-files have no Debian:11 advisory
    for (const clean of ['bash', 'coreutils', 'tar', 'base-files', 'ca-certificates']) {
      assert.ok(!report.findings.some((f) => f.package.name === clean), `${clean} must not be reported`);
    }
  });

  it('renders a table by default and honours --exit-code only when findings remain', async () => {
    const table = await runCli(['image', '--exit-code', '3'], env);
    assert.equal(table.code, 3);
    assert.match(table.stdout, /CVE-2021-44228/);
    const none = await runCli(['image', '--exit-code', '3', '--severity', 'LOW', '--scanners', 'vuln'], env);
    assert.equal(none.code, 0, 'no LOW vulnerabilities remain, so --exit-code does not apply');
    const misconfig = await runCli(['image', '--exit-code', '3', '--severity', 'LOW'], env);
    assert.equal(misconfig.code, 3, 'the demo image has no HEALTHCHECK (LOW): a misconfiguration remains');
    assert.match(misconfig.stdout, /image-config\/no-healthcheck/);
    const critical = await runCli(['image', '--format', 'json', '--severity', 'CRITICAL'], env);
    const only = (JSON.parse(critical.stdout) as JsonReport).findings;
    assert.ok(only.length > 1 && only.every((f) => f.severity === 'CRITICAL'));
    const log4shell = only.find((f) => f.id === 'CVE-2021-44228');
    assert.equal(
      log4shell?.severitySource?.record,
      'GHSA-jfh8-c2jp-5v3q',
      'Log4Shell is rated through the GHSA record of the same CVE',
    );
    // the Debian advisories carry no rating: the demo mirror's NVD feed files rate them
    assert.ok(only.filter((f) => f.id !== 'CVE-2021-44228').every((f) => f.severitySource?.source === 'nvd'));
  });

  it('applies an ignore file with a reason, keeping suppressed findings visible in JSON', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bw-ign-'));
    try {
      await writeFile(
        path.join(dir, '.bulwarkignore.yaml'),
        'ignore:\n  - id: CVE-2021-44228\n    reason: log4j is not on the classpath of this service\n    expires: 2999-01-01\n',
      );
      const run = await runCli(
        ['image', '--format', 'json', '--ignore-file', path.join(dir, '.bulwarkignore.yaml')],
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.ok(!report.findings.some((f) => f.id === 'CVE-2021-44228'));
      assert.ok(
        report.suppressed.some((s) => s.id === 'CVE-2021-44228' && /classpath/.test(s.suppression.reason)),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes SARIF and CycloneDX that parse, to --output', async () => {
    for (const format of ['sarif', 'cyclonedx']) {
      const out = path.join(cache, `report.${format}.json`);
      const run = await runCli(
        [
          'image',
          '--input',
          DEMO,
          '--format',
          format,
          '--output',
          out,
          '--db',
          path.join(cache, 'bulwark/demo/bulwark-demo.db'),
        ],
        env,
      );
      assert.equal(run.code, 0, run.stderr);
      const { readFile } = await import('node:fs/promises');
      const doc = JSON.parse(await readFile(out, 'utf8')) as Record<string, unknown>;
      assert.ok(format === 'sarif' ? doc.version === '2.1.0' : doc.bomFormat === 'CycloneDX');
    }
  });

  it('warns when the database was built by another bulwark, and still scans with it', async () => {
    const { copyFile } = await import('node:fs/promises');
    const { default: Database } = await import('better-sqlite3');
    const db = path.join(cache, 'other-build.db');
    await copyFile(path.join(cache, 'bulwark/demo/bulwark-demo.db'), db);
    const raw = new Database(db);
    raw.prepare("UPDATE meta SET value = 'someone-else-1' WHERE key = 'normalizer'").run();
    raw.close();
    const run = await runCli(['image', '--input', DEMO, '--format', 'json', '--db', db], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /built by another bulwark \(someone-else-1, this one uses .+\); run `bulwark db update`/,
    );
    assert.ok((JSON.parse(run.stdout) as JsonReport).findings.some((f) => f.id === 'CVE-2021-44228'));
    const current = await runCli(
      [
        'image',
        '--input',
        DEMO,
        '--format',
        'json',
        '--db',
        path.join(cache, 'bulwark/demo/bulwark-demo.db'),
      ],
      env,
    );
    assert.doesNotMatch(current.stderr, /another bulwark/);
  });

  it('fails with a typed error and a distinct exit code for a missing input, never a stack trace', async () => {
    const run = await runCli(['image', '--input', '/nonexistent/image.tar'], env);
    assert.equal(run.code, 4);
    assert.match(run.stderr, /error\[INPUT_NOT_FOUND\] \/nonexistent\/image\.tar/);
    assert.ok(!hasStackTrace(run.stderr));
  });

  it('fails with DATABASE when no database exists', async () => {
    const run = await runCli(['image', '--input', DEMO, '--db', path.join(cache, 'missing.db')], env);
    assert.equal(run.code, 13);
    assert.match(run.stderr, /error\[DATABASE\]/);
    assert.ok(!hasStackTrace(run.stderr));
  });

  describe('from a real registry', () => {
    let registry: RunningRegistry;
    before(async () => {
      registry = await startRegistry();
      await execFileP('skopeo', [
        'copy',
        '--dest-tls-verify=false',
        `oci-archive:${DEMO}:demo`,
        `docker://${registry.host}/team/demo:1.0`,
      ]);
    });
    after(async () => registry.stop());

    it('pulls over the distribution API and reports exactly what the archive scan reports', async () => {
      const db = path.join(cache, 'bulwark/demo/bulwark-demo.db');
      const fromRegistry = await runCli(
        ['image', `${registry.host}/team/demo:1.0`, '--no-daemon', '--format', 'json', '--db', db],
        env,
      );
      assert.equal(fromRegistry.code, 0, fromRegistry.stderr);
      const fromArchive = await runCli(['image', '--input', DEMO, '--format', 'json', '--db', db], env);
      const ids = (r: string) =>
        (JSON.parse(r) as JsonReport).findings
          .map((f) => `${f.package.name} ${f.id} ${f.layer?.diffId}`)
          .sort();
      assert.deepEqual(ids(fromRegistry.stdout), ids(fromArchive.stdout));
      assert.ok(ids(fromRegistry.stdout).length > 20);
    });

    it('names the repository when the tag does not exist', async () => {
      const db = path.join(cache, 'bulwark/demo/bulwark-demo.db');
      const run = await runCli(['image', `${registry.host}/team/demo:nope`, '--no-daemon', '--db', db], env);
      assert.equal(run.code, 10, run.stderr);
      assert.match(run.stderr, /error\[REGISTRY_NOT_FOUND\]/);
      assert.ok(!hasStackTrace(run.stderr));
    });
  });
});

describe('bulwark usage errors', () => {
  it('exits 2 for an unknown flag or a bad value on any command, with help, and no stack trace', async () => {
    for (const args of [
      ['image', '--no-such-flag'],
      ['db', 'status', '--no-such-flag'],
      ['version', 'compare', '--no-such-flag'],
      ['image', '--format', 'xml'],
    ]) {
      const run = await runCli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(!hasStackTrace(run.stderr));
    }
  });

  it('exits 0 for --help and --version', async () => {
    assert.equal((await runCli(['--help'])).code, 0);
    const v = await runCli(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+/);
    const help = await runCli(['image', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--exit-code/);
  });
});
