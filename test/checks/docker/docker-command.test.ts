import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkInspectText, checkLiveContainers } from '../../../src/checks/docker/index.js';
import { BulwarkError } from '../../../src/core/errors.js';
import { startFakeDaemon, type FakeDaemon } from './fake-daemon.js';

const fixtures = path.resolve('test/checks/docker/__fixtures__');
const mixed = path.join(fixtures, 'inspect-mixed.json');
const hardened = path.join(fixtures, 'inspect-hardened.json');

// async: the fake daemon lives in this process and must keep answering while the CLI runs
function cli(
  args: string[],
  opts: { input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/cli/run-cli.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

type JsonReport = {
  findings: {
    ruleId: string;
    line: number;
    file: string;
    field?: string;
    object?: string;
    aliases: string[];
  }[];
};

describe('bulwark docker --input', () => {
  it('reports each container at its object line with the deciding field and CIS ids', async () => {
    const r = await cli(['docker', '--input', mixed, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as JsonReport;
    const priv = report.findings.find((f) => f.ruleId === 'container/privileged')!;
    assert.equal(priv.line, 2);
    assert.equal(priv.file, mixed);
    assert.equal(priv.field, 'HostConfig.Privileged');
    assert.equal(priv.object, 'container admin-tools (7d2c1f0e9b8a)');
    assert.ok(priv.aliases.includes('CIS-Docker-5.5'));
    const web = report.findings.filter((f) => f.object === 'container web (4f66ad9a0b2e)');
    assert.ok(
      web.every((f) => f.line === 210),
      'second container object starts at line 210',
    );
    assert.ok(
      web.some(
        (f) => f.ruleId === 'container/privileged-port' && f.field === 'NetworkSettings.Ports["80/tcp"]',
      ),
    );
    assert.equal(web.filter((f) => f.ruleId === 'container/ports-all-interfaces').length, 1);
  });

  it('a hardened container has no findings; stdin works; --exit-code applies only with findings', async () => {
    assert.equal((await cli(['docker', '--input', hardened, '--exit-code', '3'])).code, 0);
    const r = await cli(
      ['docker', '--input', '-', '--exit-code', '3', '--severity', 'CRITICAL', '--format', 'json'],
      {
        input: readFileSync(mixed, 'utf8'),
      },
    );
    assert.equal(r.code, 3);
    const report = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual([...new Set(report.findings.map((f) => f.ruleId))].sort(), [
      'container/cap-add-critical',
      'container/docker-socket',
      'container/privileged',
    ]);
    assert.ok(report.findings.every((f) => f.file === '<stdin>'));
  });

  it('malformed inspect JSON is MALFORMED_INPUT naming the input (exit 5); a missing file is exit 4', async () => {
    await assert.rejects(checkInspectText('[{"Id": "abc", "HostConfig": {}', 'bad.json'), (e: unknown) => {
      assert.ok(e instanceof BulwarkError);
      assert.equal(e.code, 'MALFORMED_INPUT');
      assert.equal(e.input, 'bad.json');
      return true;
    });
    await assert.rejects(checkInspectText('[{"foo": 1}]', 'x.json'), { code: 'MALFORMED_INPUT' });
    const r = await cli(['docker', '--input', '-'], { input: '{"Id": ' });
    assert.equal(r.code, 5);
    assert.match(r.stderr, /MALFORMED_INPUT/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal((await cli(['docker', '--input', path.join(fixtures, 'missing.json')])).code, 4);
  });

  it('SARIF output names the rules it used', async () => {
    const r = await cli(['docker', '--input', mixed, '--format', 'sarif']);
    assert.equal(r.code, 0, r.stderr);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { ruleId: string }[] }[] };
    assert.ok(sarif.runs[0]!.results.some((x) => x.ruleId === 'container/privileged'));
  });
});

describe('bulwark docker against a live daemon (fake Engine API on a unix socket)', () => {
  const [risky, web] = JSON.parse(readFileSync(mixed, 'utf8')) as { Id: string; Name: string }[];
  let daemon: FakeDaemon;
  before(async () => {
    daemon = await startFakeDaemon(
      {
        '/containers/json': [
          { Id: risky!.Id, Names: [risky!.Name], Image: 'nginx:1.27', State: 'running' },
          { Id: web!.Id, Names: [web!.Name], Image: 'nginx:1.27', State: 'running' },
          { Id: 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef', Names: ['/gone'] },
        ],
        [`/containers/${risky!.Id}/json`]: risky,
        [`/containers/${web!.Id}/json`]: web,
      },
      { hang: (p) => p.startsWith('/containers/deadbeef') },
    );
  });
  after(() => daemon.close());

  it('lists then inspects each container read-only; one hanging inspect is an error, the others are checked', async () => {
    const r = await checkLiveContainers({ dockerHost: daemon.dockerHost, timeoutMs: 300 });
    assert.ok(daemon.calls.every((c) => c.startsWith('GET ')));
    assert.ok(daemon.calls.includes('GET /containers/json'));
    const label = `docker://${daemon.dockerHost}`;
    assert.ok(r.findings.every((f) => f.file === label && f.line === 0));
    assert.ok(
      r.findings.some(
        (f) => f.ruleId === 'container/privileged' && f.object?.startsWith('container admin-tools'),
      ),
    );
    assert.ok(r.findings.some((f) => f.object?.startsWith('container web')));
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.code, 'DAEMON');
    assert.match(r.errors[0]!.file, /deadbeefdead/);
  });

  it('through the CLI: DOCKER_HOST is used and the failed container sets exit 15 after the report', async () => {
    const r = await cli(['docker', '--format', 'json', '--timeout', '300'], {
      env: { DOCKER_HOST: daemon.dockerHost },
    });
    assert.equal(r.code, 15);
    assert.ok((JSON.parse(r.stdout) as JsonReport).findings.length > 10);
    assert.match(r.stderr, /DAEMON/);
  });
});

describe('bulwark docker with a hanging or absent daemon', () => {
  let daemon: FakeDaemon;
  before(async () => {
    daemon = await startFakeDaemon({}, { hang: () => true });
  });
  after(() => daemon.close());

  it('a daemon that never answers is DAEMON naming the host, within the deadline', async () => {
    await assert.rejects(
      checkLiveContainers({ dockerHost: daemon.dockerHost, timeoutMs: 200 }),
      (e: unknown) => {
        assert.ok(e instanceof BulwarkError);
        assert.equal(e.code, 'DAEMON');
        assert.ok(e.input?.includes(daemon.dockerHost));
        return true;
      },
    );
  });

  it('no socket at all is DAEMON (exit 15) with no stack trace', async () => {
    const r = await cli(['docker'], { env: { DOCKER_HOST: 'unix:///nonexistent/bulwark/docker.sock' } });
    assert.equal(r.code, 15);
    assert.match(r.stderr, /DAEMON.*nonexistent/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});

describe('bulwark docker: suppression and daemon faults', () => {
  it('an ignore-file entry by CIS id suppresses the finding, with its reason', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-docker-ignore-'));
    try {
      const ignore = path.join(dir, 'ignore.yaml');
      await writeFile(ignore, '- id: CIS-Docker-5.5\n  reason: the admin toolbox is privileged by design\n');
      const r = await cli(['docker', '--input', mixed, '--format', 'json', '--ignore-file', ignore]);
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as JsonReport & {
        suppressed: { ruleId: string; reason: string }[];
      };
      assert.ok(!report.findings.some((f) => f.ruleId === 'container/privileged'));
      assert.deepEqual(
        report.suppressed.map((s) => [s.ruleId, s.reason]),
        [['container/privileged', 'the admin toolbox is privileged by design']],
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a daemon answering 500 or an oversized body is DAEMON', async () => {
    const broken = await startFakeDaemon({ '/containers/json': [] }, { status: { '/containers/json': 500 } });
    try {
      await assert.rejects(checkLiveContainers({ dockerHost: broken.dockerHost, timeoutMs: 2000 }), {
        code: 'DAEMON',
      });
    } finally {
      await broken.close();
    }
    const { dockerGetJson } = await import('../../../src/docker/index.js');
    const big = await startFakeDaemon({
      '/containers/json': Array.from({ length: 2000 }, (_, i) => ({ Id: `${i}` })),
    });
    try {
      await assert.rejects(
        dockerGetJson('/containers/json', { dockerHost: big.dockerHost, maxBytes: 1024 }),
        {
          code: 'DAEMON',
        },
      );
      // list entries without a container id are skipped, not inspected: no findings, no errors
      const r = await checkLiveContainers({ dockerHost: big.dockerHost });
      assert.deepEqual([r.findings.length, r.errors.length], [0, 0]);
    } finally {
      await big.close();
    }
  });
});

describe('help', () => {
  it('docker and host show flags, examples and exit codes', async () => {
    for (const cmd of ['docker', 'host']) {
      const r = await cli([cmd, '--help']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /--format <format>/);
      assert.match(r.stdout, /Examples:/);
      assert.match(r.stdout, /Exit codes:/);
    }
  });
});
