import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { HostFacts } from '../../../src/checks/host/facts.js';
import { parseHostFacts } from '../../../src/checks/host/parse.js';
import { rules as daemonRules } from '../../../src/checks/rules/daemon/index.js';
import { rules as hostRules } from '../../../src/checks/rules/host/index.js';
import { ruleTester, testedRuleIds } from '../../../src/checks/testing.js';
import type { Rule } from '../../../src/checks/types.js';

// Rules are pure functions of host facts; each case writes the facts a collector would gather.
const t = ruleTester(parseHostFacts, '/');
const all = [...daemonRules, ...hostRules];
const rule = (id: string) => all.find((r) => r.meta.id === id)! as Rule<HostFacts>;

const DJ = '/etc/docker/daemon.json';
const UNIT = '/lib/systemd/system/docker.service';

/** A host whose daemon.json follows CIS section 2, with the keys on lines 2.. in order. */
const goodDaemon: Record<string, unknown> = {
  icc: false,
  'userns-remap': 'default',
  'live-restore': true,
  'userland-proxy': false,
  'no-new-privileges': true,
  'log-driver': 'syslog',
  'log-level': 'info',
  'default-ulimits': { nofile: { Name: 'nofile', Hard: 64000, Soft: 64000 } },
  'authorization-plugins': ['authz-broker'],
};

function facts(patch: Partial<HostFacts> & { daemon?: Record<string, unknown> } = {}): string {
  const { daemon, ...rest } = patch;
  const values = daemon ?? goodDaemon;
  const lines = Object.fromEntries(Object.keys(values).map((k, i) => [k, i + 2]));
  const f: HostFacts = {
    root: '/',
    daemonJson: { path: DJ, values, lines },
    files: [],
    ...rest,
  };
  return JSON.stringify(f);
}
const withKey = (k: string, v: unknown) => facts({ daemon: { ...goodDaemon, [k]: v } });
const without = (k: string) =>
  facts({ daemon: Object.fromEntries(Object.entries(goodDaemon).filter(([x]) => x !== k)) });
const exec = (args: string[]) => ({ path: UNIT, line: 14, args: ['/usr/bin/dockerd', ...args] });
const live = (info: Record<string, unknown>, version: Record<string, unknown> = {}) => ({
  host: 'docker://unix:///var/run/docker.sock',
  info: {
    ServerVersion: '28.5.1',
    Driver: 'overlay2',
    LiveRestoreEnabled: true,
    ExperimentalBuild: false,
    SecurityOptions: ['name=apparmor', 'name=seccomp,profile=builtin', 'name=userns', 'name=cgroupns'],
    Swarm: { LocalNodeState: 'inactive', ControlAvailable: false },
    ...info,
  },
  version: { Version: '28.5.1', ApiVersion: '1.51', ...version },
});
const keyAt = (messageId: string, line: number) => ({ messageId, line, column: 1 });
const home = (messageId: string) => ({ messageId, line: 0, column: 0 });

t.run(rule('daemon/icc'), {
  valid: [facts(), facts({ daemon: {}, execStart: exec(['--icc=false']) })],
  invalid: [
    { code: withKey('icc', true), errors: [{ ...keyAt('bad', 2), field: 'icc' }] },
    { code: without('icc'), errors: [{ ...home('bad'), field: 'icc' }] },
    {
      name: 'unit flag decides',
      code: facts({ daemon: undefined, daemonJson: undefined, execStart: exec(['--icc=true']) }),
      errors: [{ ...keyAt('bad', 14), field: '--icc=true' }],
    },
  ],
});

t.run(rule('daemon/log-level'), {
  valid: [facts(), without('log-level')],
  invalid: [
    { code: withKey('log-level', 'debug'), errors: [{ ...keyAt('bad', 8), data: { value: 'debug' } }] },
  ],
});

t.run(rule('daemon/iptables-disabled'), {
  valid: [facts(), withKey('iptables', true)],
  invalid: [
    { code: facts({ daemon: {}, execStart: exec(['--iptables=false']) }), errors: [keyAt('bad', 14)] },
  ],
});

t.run(rule('daemon/insecure-registries'), {
  valid: [facts(), withKey('insecure-registries', ['127.0.0.0/8'])],
  invalid: [
    {
      code: withKey('insecure-registries', ['registry.local:5000', '10.0.0.0/8']),
      errors: [
        { ...keyAt('insecure', 11), data: { registry: 'registry.local:5000' } },
        { ...keyAt('insecure', 11), data: { registry: '10.0.0.0/8' } },
      ],
    },
    {
      name: 'repeated --insecure-registry flags in a drop-in',
      code: facts({
        daemon: {},
        execStart: {
          path: '/etc/systemd/system/docker.service.d/override.conf',
          line: 3,
          args: ['dockerd', '--insecure-registry', 'a:5000', '--insecure-registry=b:5000'],
        },
      }),
      errors: [
        { ...keyAt('insecure', 3), data: { registry: 'a:5000' } },
        { ...keyAt('insecure', 3), data: { registry: 'b:5000' } },
      ],
    },
  ],
});

t.run(rule('daemon/aufs-storage'), {
  valid: [facts(), facts({ live: live({}) })],
  invalid: [
    { code: withKey('storage-driver', 'aufs'), errors: [keyAt('aufs', 11)] },
    { code: facts({ live: live({ Driver: 'aufs' }) }), errors: [{ ...home('aufs'), field: 'Driver' }] },
  ],
});

t.run(rule('daemon/tls-missing'), {
  valid: [
    facts(),
    withKey('hosts', ['unix:///var/run/docker.sock', 'fd://']),
    facts({
      daemon: {
        ...goodDaemon,
        hosts: ['tcp://0.0.0.0:2376'],
        tlsverify: true,
        tlscacert: '/etc/docker/ca.pem',
        tlscert: '/etc/docker/cert.pem',
        tlskey: '/etc/docker/key.pem',
      },
    }),
  ],
  invalid: [
    {
      name: '-H tcp:// in ExecStart without TLS',
      code: facts({ daemon: goodDaemon, execStart: exec(['-H', 'fd://', '-H', 'tcp://0.0.0.0:2375']) }),
      errors: [
        { ...keyAt('noTls', 14), field: '-H tcp://0.0.0.0:2375', data: { host: 'tcp://0.0.0.0:2375' } },
      ],
    },
    {
      code: facts({
        daemon: {
          ...goodDaemon,
          hosts: ['tcp://10.0.0.5:2376'],
          tlsverify: true,
          tlscacert: '/etc/docker/ca.pem',
        },
      }),
      errors: [
        { ...keyAt('incomplete', 11), data: { host: 'tcp://10.0.0.5:2376', missing: 'tlscert, tlskey' } },
      ],
    },
  ],
});

t.run(rule('daemon/default-ulimits'), {
  valid: [facts()],
  invalid: [{ code: without('default-ulimits'), errors: [home('bad')] }],
});

t.run(rule('daemon/userns-remap'), {
  valid: [
    facts(),
    facts({ daemon: {}, live: live({}) }),
    facts({ daemon: {}, live: live({ SecurityOptions: ['name=seccomp,profile=builtin', 'name=rootless'] }) }),
  ],
  invalid: [
    { code: without('userns-remap'), errors: [{ ...home('missing'), field: 'userns-remap' }] },
    { code: withKey('userns-remap', ''), errors: [keyAt('missing', 3)] },
  ],
});

t.run(rule('daemon/authorization-plugin'), {
  valid: [facts()],
  invalid: [{ code: without('authorization-plugins'), errors: [home('bad')] }],
});

t.run(rule('daemon/log-driver'), {
  valid: [
    facts(),
    withKey('log-driver', 'fluentd'),
    facts({ daemon: {}, live: live({ LoggingDriver: 'journald' }) }),
  ],
  invalid: [
    { code: without('log-driver'), errors: [home('bad')] },
    {
      code: withKey('log-driver', 'json-file'),
      errors: [{ ...keyAt('bad', 7), data: { value: 'json-file' } }],
    },
    {
      name: 'the live daemon decides when the files are silent',
      code: facts({ daemon: {}, live: live({ LoggingDriver: 'json-file' }) }),
      errors: [{ ...home('bad'), field: 'LoggingDriver', data: { value: 'json-file (live /info)' } }],
    },
  ],
});

t.run(rule('daemon/no-new-privileges'), {
  valid: [facts(), facts({ daemon: {}, execStart: exec(['--no-new-privileges']) })],
  invalid: [{ code: withKey('no-new-privileges', false), errors: [keyAt('bad', 6)] }],
});

t.run(rule('daemon/live-restore'), {
  valid: [
    facts(),
    facts({ daemon: {}, live: live({}) }),
    facts({ daemon: {}, live: live({ LiveRestoreEnabled: false, Swarm: { LocalNodeState: 'active' } }) }),
  ],
  invalid: [
    { code: without('live-restore'), errors: [{ ...home('disabled'), data: { value: 'unset' } }] },
    {
      code: facts({ live: live({ LiveRestoreEnabled: false }) }),
      errors: [{ ...home('disabled'), field: 'LiveRestoreEnabled' }],
    },
  ],
});

t.run(rule('daemon/userland-proxy'), {
  valid: [facts(), facts({ daemon: {}, execStart: exec(['--userland-proxy=false']) })],
  invalid: [{ code: without('userland-proxy'), errors: [home('bad')] }],
});

t.run(rule('daemon/seccomp-profile'), {
  valid: [facts(), facts({ live: live({}) }), withKey('seccomp-profile', '/etc/docker/seccomp.json')],
  invalid: [
    { code: withKey('seccomp-profile', 'unconfined'), errors: [keyAt('unconfined', 11)] },
    {
      code: facts({ live: live({ SecurityOptions: ['name=apparmor'] }) }),
      errors: [{ ...home('notReported'), field: 'SecurityOptions' }],
    },
  ],
});

t.run(rule('daemon/experimental'), {
  valid: [facts(), facts({ live: live({}) })],
  invalid: [
    { code: withKey('experimental', true), errors: [keyAt('experimental', 11)] },
    { code: facts({ live: live({ ExperimentalBuild: true }) }), errors: [home('experimental')] },
  ],
});

t.run(rule('daemon/swarm-active'), {
  valid: [facts(), facts({ live: live({}) })],
  invalid: [
    {
      code: facts({ live: live({ Swarm: { LocalNodeState: 'active', ControlAvailable: true } }) }),
      errors: [{ ...home('active'), field: 'Swarm.LocalNodeState', data: { role: 'manager' } }],
    },
  ],
});

t.run(rule('daemon/rootful-daemon'), {
  valid: [
    facts(),
    facts({ live: live({ SecurityOptions: ['name=seccomp,profile=builtin', 'name=rootless'] }) }),
  ],
  invalid: [{ code: facts({ live: live({}) }), errors: [{ ...home('rootful'), field: 'SecurityOptions' }] }],
});

t.run(rule('daemon/no-mac'), {
  valid: [facts(), facts({ live: live({}) }), facts({ live: live({ SecurityOptions: ['name=selinux'] }) })],
  invalid: [
    {
      code: facts({ live: live({ SecurityOptions: ['name=seccomp,profile=builtin'] }) }),
      errors: [home('none')],
    },
  ],
});

t.run(rule('daemon/daemon-version'), {
  valid: [
    facts(),
    facts({ live: live({}) }),
    { code: facts({ live: live({}, { Version: '20.10.24' }) }), settings: { minMajor: 20 } },
  ],
  invalid: [
    {
      code: facts({ live: live({}, { Version: '20.10.24' }) }),
      errors: [{ ...home('old'), field: 'Version', data: { version: '20.10.24', min: 28 } }],
    },
  ],
});

// ---- host family

const file = (
  path: string,
  uid: number,
  gid: number,
  mode: number,
  type: 'file' | 'dir' | 'socket' = 'file',
) => ({
  path,
  exists: true,
  uid,
  gid,
  mode,
  type,
});
const goodFiles = [
  file(UNIT, 0, 0, 0o644),
  file('/lib/systemd/system/docker.socket', 0, 0, 0o644),
  file('/etc/docker', 0, 0, 0o755, 'dir'),
  file(DJ, 0, 0, 0o644),
  file('/var/run/docker.sock', 0, 998, 0o660, 'socket'),
  file('/etc/docker/certs.d/registry.local:5000/ca.crt', 0, 0, 0o444),
  file('/usr/bin/dockerd', 0, 0, 0o755),
  file('/var/lib/docker', 0, 0, 0o710, 'dir'),
];
const host = (patch: Partial<HostFacts> & { daemon?: Record<string, unknown> } = {}) =>
  facts({
    files: goodFiles,
    dockerGroup: { gid: 998, members: [] },
    audit: {
      sources: ['/etc/audit/rules.d/docker.rules'],
      watched: [
        '/usr/bin/dockerd',
        '/var/lib/docker',
        '/etc/docker',
        UNIT,
        '/lib/systemd/system/docker.socket',
        DJ,
      ],
    },
    mounts: { sources: ['/etc/fstab'], mountPoints: ['/', '/boot', '/var/lib/docker'] },
    ...patch,
  });
const onFile = (messageId: string, data?: Record<string, string>) => ({
  messageId,
  line: 0,
  column: 0,
  ...(data ? { data } : {}),
});
const replaceFile = (f: ReturnType<typeof file>) => goodFiles.map((x) => (x.path === f.path ? f : x));

t.run(rule('host/file-ownership'), {
  valid: [
    host(),
    host({
      dockerGroup: undefined,
      files: replaceFile(file('/var/run/docker.sock', 0, 4242, 0o660, 'socket')),
    }),
  ],
  invalid: [
    {
      code: host({ files: replaceFile(file(DJ, 1000, 1000, 0o644)) }),
      errors: [
        onFile('owner', { path: DJ, actual: '1000:1000', expected: 'root:root', cis: 'CIS-Docker-3.17' }),
      ],
    },
    {
      code: host({ files: replaceFile(file('/var/run/docker.sock', 0, 0, 0o660, 'socket')) }),
      errors: [
        onFile('owner', {
          path: '/var/run/docker.sock',
          actual: '0:0',
          expected: 'root:docker',
          cis: 'CIS-Docker-3.15',
        }),
      ],
    },
  ],
});

t.run(rule('host/file-permissions'), {
  valid: [host(), host({ files: replaceFile(file(DJ, 0, 0, 0o600)) })],
  invalid: [
    {
      code: host({ files: replaceFile(file('/var/run/docker.sock', 0, 998, 0o666, 'socket')) }),
      errors: [
        onFile('mode', {
          path: '/var/run/docker.sock',
          actual: '666',
          expected: '660',
          cis: 'CIS-Docker-3.16',
        }),
      ],
    },
    {
      code: host({ files: replaceFile(file('/etc/docker/certs.d/registry.local:5000/ca.crt', 0, 0, 0o644)) }),
      errors: [
        onFile('mode', {
          path: '/etc/docker/certs.d/registry.local:5000/ca.crt',
          actual: '644',
          expected: '444',
          cis: 'CIS-Docker-3.8',
        }),
      ],
    },
    {
      name: 'the TLS key named in daemon.json must be 400',
      code: facts({
        daemon: { ...goodDaemon, tlskey: '/etc/docker/tls/key.pem' },
        files: [...goodFiles, file('/etc/docker/tls/key.pem', 0, 0, 0o440)],
      }),
      errors: [
        onFile('mode', {
          path: '/etc/docker/tls/key.pem',
          actual: '440',
          expected: '400',
          cis: 'CIS-Docker-3.14',
        }),
      ],
    },
  ],
});

t.run(rule('host/audit-rules'), {
  valid: [host(), host({ files: [], audit: undefined })],
  invalid: [
    { code: host({ audit: undefined }), errors: [onFile('noAudit')] },
    {
      code: host({
        audit: {
          sources: ['/etc/audit/audit.rules'],
          watched: ['/usr/bin/dockerd', '/var/lib/docker', '/etc/docker', DJ],
        },
      }),
      errors: [
        onFile('notWatched', { path: UNIT, cis: 'CIS-Docker-1.1.7' }),
        onFile('notWatched', { path: '/lib/systemd/system/docker.socket', cis: 'CIS-Docker-1.1.9' }),
      ],
    },
  ],
});

t.run(rule('host/separate-partition'), {
  valid: [
    host(),
    host({ mounts: undefined }),
    host({
      daemon: { ...goodDaemon, 'data-root': '/srv/docker' },
      mounts: { sources: ['/etc/fstab'], mountPoints: ['/', '/srv/docker/'] },
    }),
  ],
  invalid: [
    {
      code: host({
        mounts: {
          sources: ['/etc/fstab', '/proc/self/mountinfo'],
          mountPoints: ['/', '/var', '/var/lib/docker/overlay2/x/merged'],
        },
      }),
      errors: [
        onFile('shared', { dataRoot: '/var/lib/docker', sources: '/etc/fstab, /proc/self/mountinfo' }),
      ],
    },
  ],
});

t.run(rule('host/docker-group'), {
  valid: [host()],
  invalid: [
    {
      code: host({ dockerGroup: { gid: 998, members: ['alice', 'ci'] } }),
      errors: [onFile('member', { user: 'alice' }), onFile('member', { user: 'ci' })],
    },
  ],
});

it('every daemon and host rule has valid/invalid tests and CIS and docker-bench ids', () => {
  for (const r of all) {
    assert.ok(testedRuleIds().has(r.meta.id), `${r.meta.id} untested`);
    assert.ok(
      r.meta.aliases.some((a) => /^CIS-Docker-\d+\.\d+(\.\d+)?$/.test(a)),
      r.meta.id,
    );
    assert.ok(
      r.meta.aliases.some((a) => /^docker-bench:\d+(_\d+)+$/.test(a)),
      r.meta.id,
    );
  }
});
