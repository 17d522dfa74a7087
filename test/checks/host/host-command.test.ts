import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { auditWatches, checkHost, collectHostFacts, splitWords } from '../../../src/checks/host/index.js';
import { startFakeDaemon, type FakeDaemon } from '../docker/fake-daemon.js';
import { buildHost, DOCKER_SERVICE, DOCKER_SOCKET } from './fake-host.js';

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/cli/run-cli.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

type Finding = {
  ruleId: string;
  file: string;
  line: number;
  field?: string;
  object?: string;
  message: string;
};

const GROUP = 'root:x:0:\ndaemon:x:1:\nadm:x:4:syslog\nalice:x:1000:\ndocker:x:998:alice\n';
const AUDIT = `## docker
-w /usr/bin/dockerd -k docker
-w /var/lib/docker -k docker
-a always,exit -F path=/etc/docker -F perm=wa -k docker
`;

describe('bulwark host on a badly configured fake host', () => {
  let root: string;
  before(async () => {
    root = await buildHost(
      {
        '/etc/docker': { dir: true, mode: 0o775 },
        '/etc/docker/daemon.json': {
          content:
            '{\n  "log-driver": "json-file",\n  "insecure-registries": ["registry.lan:5000"],\n  "experimental": true\n}\n',
          uid: 1000,
          mode: 0o666,
        },
        '/lib/systemd/system/docker.service': { content: DOCKER_SERVICE },
        '/lib/systemd/system/docker.socket': { content: DOCKER_SOCKET },
        '/etc/systemd/system/docker.service.d/override.conf': {
          content:
            '[Service]\nExecStart=\nExecStart=/usr/bin/dockerd -H fd:// \\\n  -H tcp://0.0.0.0:2375 --icc=true\n',
        },
        '/etc/docker/certs.d/registry.lan:5000/ca.crt': {
          content: '-----BEGIN CERTIFICATE-----\n',
          mode: 0o644,
        },
        '/etc/group': { content: GROUP },
        '/etc/audit/rules.d/docker.rules': { content: AUDIT },
        '/etc/fstab': {
          content: 'UUID=1c2d / ext4 errors=remount-ro 0 1\nUUID=3e4f /boot ext4 defaults 0 2\n',
        },
        '/usr/bin/dockerd': { content: '#!ELF', mode: 0o755 },
        '/var/lib/docker': { dir: true, mode: 0o710 },
      },
      { '/var/run/docker.sock': { gid: 0, mode: 0o666 } },
    );
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('finds daemon, unit, ownership, permission, audit and partition problems, each at its file', async () => {
    const r = await checkHost({ root });
    const by = (id: string) => r.findings.filter((f) => f.ruleId === id) as Finding[];
    const tls = by('daemon/tls-missing');
    assert.equal(tls.length, 1);
    assert.equal(tls[0]!.file, `${root}/etc/systemd/system/docker.service.d/override.conf`);
    assert.equal(tls[0]!.line, 3, 'the continued ExecStart= starts on line 3');
    assert.equal(tls[0]!.field, '-H tcp://0.0.0.0:2375');
    assert.equal(by('daemon/icc')[0]!.field, '--icc=true');
    const insecure = by('daemon/insecure-registries');
    assert.equal(insecure[0]!.file, `${root}/etc/docker/daemon.json`);
    assert.equal(insecure[0]!.line, 3);
    assert.equal(by('daemon/experimental')[0]!.line, 4);
    assert.deepEqual(
      by('host/file-ownership')
        .map((f) => f.object)
        .sort(),
      ['/etc/docker/daemon.json', '/var/run/docker.sock'],
    );
    assert.deepEqual(
      by('host/file-permissions')
        .map((f) => f.object)
        .sort(),
      [
        '/etc/docker',
        '/etc/docker/certs.d/registry.lan:5000/ca.crt',
        '/etc/docker/daemon.json',
        '/var/run/docker.sock',
      ],
    );
    assert.deepEqual(
      by('host/audit-rules')
        .map((f) => f.field)
        .sort(),
      ['/etc/docker/daemon.json', '/lib/systemd/system/docker.service', '/lib/systemd/system/docker.socket'],
    );
    assert.equal(by('host/separate-partition').length, 1);
    assert.deepEqual(
      by('host/docker-group').map((f) => f.message),
      ['user alice is in group docker: it can start a privileged container and own the host'],
    );
    assert.equal(r.facts.live, undefined, 'no daemon asked');
  });

  it('an unreadable daemon.json is a warning and the other checks still run', async () => {
    const { writeFile } = await import('node:fs/promises');
    const bad = await buildHost({
      '/etc/docker/daemon.json': { content: '{ "icc": false, ' },
      '/etc/group': { content: GROUP },
    });
    try {
      const r = await checkHost({ root: bad });
      assert.ok(r.warnings.some((w) => w.file === `${bad}/etc/docker/daemon.json`));
      assert.ok(r.findings.some((f) => f.ruleId === 'host/docker-group'));
      await writeFile(`${bad}/etc/docker/daemon.json`, '[]');
      const r2 = await checkHost({ root: bad });
      assert.ok(r2.warnings.some((w) => /not a valid JSON object/.test(w.message)));
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });

  it('links that leave the root are not followed', async () => {
    const { symlink } = await import('node:fs/promises');
    const evil = await buildHost({ '/etc/docker': { dir: true } });
    try {
      await symlink('/etc/passwd', `${evil}/etc/docker/daemon.json`);
      const { facts, warnings } = await collectHostFacts({ root: evil });
      assert.equal(facts.daemonJson, undefined);
      assert.ok(warnings.some((w) => /outside the root/.test(w.message)));
    } finally {
      await rm(evil, { recursive: true, force: true });
    }
  });

  it('the CLI reports in JSON, --exit-code applies, a missing --root is exit 4', async () => {
    const r = await cli(['host', '--root', root, '--format', 'json', '--exit-code', '9']);
    assert.equal(r.code, 9, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: Finding[]; files: { file: string; family: string }[] };
    assert.ok(report.findings.some((f) => f.ruleId === 'daemon/tls-missing'));
    // findings are grouped under the files that decided them
    assert.deepEqual(
      report.files.find((f) => f.file === `${root}/etc/docker/daemon.json`),
      { file: `${root}/etc/docker/daemon.json`, family: 'daemon, host' },
    );
    assert.ok(
      report.files.some((f) => f.file === `${root}/etc/systemd/system/docker.service.d/override.conf`),
    );
    assert.equal((await cli(['host', '--root', `${root}/nope`])).code, 4);
    const sarif = await cli(['host', '--root', root, '--format', 'sarif']);
    assert.equal(sarif.code, 0);
    assert.ok((JSON.parse(sarif.stdout) as { runs: unknown[] }).runs.length === 1);
  });
});

describe('bulwark host with a live daemon (fake Engine API)', () => {
  let daemon: FakeDaemon;
  let hanging: FakeDaemon;
  let root: string;
  before(async () => {
    daemon = await startFakeDaemon({
      '/info': {
        ID: '7TRN:IPZB:QYBB:VPBQ:UWYJ:KHNN:FTPR:AYX7:KOQY:QWHT:ZHQI:DZGA',
        Containers: 3,
        Driver: 'overlay2',
        LoggingDriver: 'json-file',
        ServerVersion: '20.10.24',
        LiveRestoreEnabled: false,
        ExperimentalBuild: true,
        SecurityOptions: ['name=seccomp,profile=builtin', 'name=cgroupns'],
        Swarm: { NodeID: 'qz1', LocalNodeState: 'active', ControlAvailable: true },
      },
      '/version': {
        Platform: { Name: 'Docker Engine - Community' },
        Version: '20.10.24',
        ApiVersion: '1.41',
        Os: 'linux',
        Arch: 'amd64',
      },
    });
    hanging = await startFakeDaemon({}, { hang: () => true });
    root = await buildHost({ '/etc/group': { content: GROUP } });
  });
  after(async () => {
    await daemon.close();
    await hanging.close();
    await rm(root, { recursive: true, force: true });
  });

  it('adds what only the daemon knows: version, swarm, experimental, live restore, security options', async () => {
    const r = await checkHost({ root, live: { dockerHost: daemon.dockerHost, timeoutMs: 2000 } });
    assert.deepEqual(daemon.calls, ['GET /info', 'GET /version']);
    const live = r.findings
      .filter((f) => f.file === `docker://${daemon.dockerHost}`)
      .map((f) => f.ruleId)
      .sort();
    assert.deepEqual(live, [
      'daemon/daemon-version',
      'daemon/experimental',
      'daemon/log-driver',
      'daemon/no-mac',
      'daemon/rootful-daemon',
      'daemon/swarm-active',
    ]);
    // swarm mode excuses live restore; userns is missing from the security options and the files
    assert.ok(!r.findings.some((f) => f.ruleId === 'daemon/live-restore'));
    assert.ok(r.findings.some((f) => f.ruleId === 'daemon/userns-remap'));
  });

  it('a hanging daemon is a warning naming it, within the deadline; file checks still run', async () => {
    const r = await checkHost({ root, live: { dockerHost: hanging.dockerHost, timeoutMs: 200 } });
    assert.equal(r.facts.live, undefined);
    assert.ok(
      r.warnings.some((w) => w.file?.includes(hanging.dockerHost) && /did not answer/.test(w.message)),
    );
    assert.ok(r.findings.some((f) => f.ruleId === 'host/docker-group'));
  });

  it('the CLI asks the daemon with --daemon and DOCKER_HOST', async () => {
    const r = await cli(['host', '--root', root, '--daemon', '--format', 'json'], {
      DOCKER_HOST: daemon.dockerHost,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      (JSON.parse(r.stdout) as { findings: Finding[] }).findings.some(
        (f) => f.ruleId === 'daemon/swarm-active',
      ),
    );
  });
});

describe('host parsing helpers', () => {
  it('splits systemd command lines like the shell and reads audit watches', () => {
    assert.deepEqual(splitWords(`dockerd -H "tcp://0.0.0.0:2376" --label='a b' --x="q\\"r"`), [
      'dockerd',
      '-H',
      'tcp://0.0.0.0:2376',
      '--label=a b',
      '--x=q"r',
    ]);
    assert.deepEqual(auditWatches(AUDIT), ['/usr/bin/dockerd', '/var/lib/docker', '/etc/docker']);
  });
});
