import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { silentProgress } from '../../src/core/progress.js';
import { ensureDemoDatabase } from '../../src/scan/index.js';
import { hasStackTrace, runCli } from '../cli/helpers.js';
import { execFileP, startRegistry, type RunningRegistry } from '../registry/helpers.js';
import { buildHygieneImage, DB_PASSWORD, realPrivateKey, writeHygieneLayout } from './helpers.js';

interface Report {
  findings: unknown[];
  scanners?: string[];
  misconfigurations?: { ruleId: string; severity: string; field: string | null; file: string }[];
  secrets?: unknown[];
  suppressedSecrets?: unknown[];
}

describe('bulwark image/rootfs --scanners (end to end, from source)', () => {
  let dir: string;
  let oci: string;
  let db: string;
  let env: Record<string, string>;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bw-imgcfg-cli-'));
    env = { XDG_CACHE_HOME: path.join(dir, 'cache') };
    oci = path.join(dir, 'oci');
    await writeHygieneLayout(oci, await buildHygieneImage(realPrivateKey(dir)));
    db = await ensureDemoDatabase(path.join(dir, 'cache', 'bulwark'), silentProgress);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('runs vulnerabilities and image configuration checks by default for an image', async () => {
    const run = await runCli(['image', '--input', oci, '--format', 'json', '--db', db], env);
    assert.equal(run.code, 0, run.stderr);
    const r = JSON.parse(run.stdout) as Report;
    assert.ok(Array.isArray(r.findings));
    assert.deepEqual(r.scanners, ['vuln', 'misconfig']);
    const ids = new Set(r.misconfigurations?.map((f) => f.ruleId));
    for (const id of ['root-user', 'secrets-in-env', 'setuid-unexpected', 'package-cache', 'credential-file'])
      assert.ok(ids.has(`image-config/${id}`), id);
    assert.equal(r.secrets, undefined);
    assert.ok(!run.stdout.includes(DB_PASSWORD) && !run.stderr.includes(DB_PASSWORD));
  });

  it('--exit-code applies when misconfigurations remain after --severity, not otherwise', async () => {
    const hit = await runCli(['image', '--input', oci, '--scanners', 'misconfig', '--exit-code', '5'], env);
    assert.equal(hit.code, 5, hit.stderr);
    assert.match(hit.stdout, /Image configuration\nTotal: \d+/);
    assert.match(hit.stdout, /Vulnerabilities: not scanned \(--scanners misconfig\)/);
    assert.match(hit.stdout, /image-config\/root-user/);
    const none = await runCli(
      ['image', '--input', oci, '--scanners', 'misconfig', '--severity', 'CRITICAL', '--exit-code', '5'],
      env,
    );
    assert.equal(none.code, 0, none.stderr);
  });

  it('scans the demo like any image: vulnerabilities and configuration, unless --scanners narrows it', async () => {
    const demo = await runCli(['image', '--format', 'json'], env);
    assert.equal(demo.code, 0, demo.stderr);
    const r = JSON.parse(demo.stdout) as Report;
    assert.ok(r.findings.length > 20, 'the vulnerability findings are there');
    assert.ok(r.misconfigurations?.some((f) => f.ruleId === 'image-config/root-user'));
    const vulnOnly = await runCli(['image', '--format', 'json', '--scanners', 'vuln'], env);
    assert.equal((JSON.parse(vulnOnly.stdout) as Report).misconfigurations, undefined);
  });

  it('--scanners secret adds a secrets section (empty without secret facts)', async () => {
    const run = await runCli(['image', '--input', oci, '--format', 'json', '--scanners', 'secret'], env);
    assert.equal(run.code, 0, run.stderr);
    const r = JSON.parse(run.stdout) as Report;
    assert.ok(Array.isArray(r.secrets));
    assert.equal(r.misconfigurations, undefined);
  });

  it('rejects an unknown scanner as a usage error without a stack trace', async () => {
    const run = await runCli(['image', '--input', oci, '--scanners', 'vuln,bogus'], env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /USAGE/);
    assert.ok(!hasStackTrace(run.stderr));
  });

  it('checks the files of a root filesystem with --scanners misconfig (no config rules)', async () => {
    const root = path.join(dir, 'rootfs');
    await mkdir(path.join(root, 'usr/local/bin'), { recursive: true });
    await mkdir(path.join(root, 'var/cache/apk'), { recursive: true });
    await writeFile(path.join(root, 'usr/local/bin/tool'), 'x');
    await chmod(path.join(root, 'usr/local/bin/tool'), 0o4755);
    await writeFile(path.join(root, 'var/cache/apk/APKINDEX.0.tar.gz'), 'y'.repeat(100));
    const run = await runCli(['rootfs', root, '--format', 'json', '--scanners', 'misconfig'], env);
    assert.equal(run.code, 0, run.stderr);
    const r = JSON.parse(run.stdout) as Report;
    assert.deepEqual(r.misconfigurations?.map((f) => f.ruleId).sort(), [
      'image-config/package-cache',
      'image-config/setuid-unexpected',
    ]);
    const plain = await runCli(['rootfs', root, '--format', 'json', '--db', db], env);
    assert.equal((JSON.parse(plain.stdout) as Report).misconfigurations, undefined, 'rootfs default is vuln');
  });

  describe('from a real registry', () => {
    let registry: RunningRegistry;
    before(async () => {
      registry = await startRegistry();
      for (const tag of ['latest', '2.1'])
        await execFileP('skopeo', [
          'copy',
          '--dest-tls-verify=false',
          `oci:${oci}:test`,
          `docker://${registry.host}/team/hygiene:${tag}`,
        ]);
    });
    after(async () => registry.stop());

    it('reports the latest tag or a missing tag, and not a versioned tag', async () => {
      const latestTag = async (ref: string) => {
        const run = await runCli(
          ['image', ref, '--no-daemon', '--scanners', 'misconfig', '--format', 'json'],
          env,
        );
        assert.equal(run.code, 0, run.stderr);
        return (JSON.parse(run.stdout) as Report).misconfigurations?.filter(
          (f) => f.ruleId === 'image-config/latest-tag',
        );
      };
      const untagged = await latestTag(`${registry.host}/team/hygiene`);
      assert.equal(untagged?.[0]?.field, 'reference');
      assert.equal(untagged?.[0]?.file, `${registry.host}/team/hygiene`);
      assert.equal((await latestTag(`${registry.host}/team/hygiene:latest`))?.length, 1);
      assert.deepEqual(await latestTag(`${registry.host}/team/hygiene:2.1`), []);
    });
  });
});
