import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ContainerInput } from '../../../src/checks/docker/inspect.js';
import { parseInspectInput, rules } from '../../../src/checks/rules/container/index.js';
import { ruleTester, testedRuleIds } from '../../../src/checks/testing.js';
import type { Rule } from '../../../src/checks/types.js';

// Each case is a real `docker inspect` array holding one container: a hardened baseline plus the
// fields a case changes. Pretty-printed, the container's object starts at line 2, column 3.
const t = ruleTester(parseInspectInput, 'inspect.json');
const rule = (name: string) => rules.find((r) => r.meta.id === `container/${name}`)! as Rule<ContainerInput>;

type Obj = Record<string, unknown>;
const hardened = (): Obj => ({
  Id: '4f66ad9a0b2e7d1c3e5f7a9b1c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d',
  Created: '2026-11-20T10:00:00.000000000Z',
  Path: '/docker-entrypoint.sh',
  Args: ['nginx', '-g', 'daemon off;'],
  State: { Status: 'running', Running: true, Pid: 4242, Health: { Status: 'healthy', FailingStreak: 0 } },
  Image: 'sha256:3b25b682ea82b2db3cc4fd48db818be788ee3f902ac7378090cf2624ec2442df',
  Name: '/web',
  RestartCount: 0,
  Driver: 'overlay2',
  AppArmorProfile: 'docker-default',
  HostConfig: {
    Binds: null,
    NetworkMode: 'app-net',
    PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] },
    RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
    CapAdd: null,
    CapDrop: ['ALL'],
    CgroupnsMode: 'private',
    IpcMode: 'private',
    PidMode: '',
    Privileged: false,
    ReadonlyRootfs: true,
    SecurityOpt: ['no-new-privileges:true'],
    UTSMode: '',
    UsernsMode: '',
    CpuShares: 512,
    Memory: 268435456,
    NanoCpus: 0,
    CpuQuota: 0,
    Devices: [],
    PidsLimit: 100,
    Ulimits: null,
  },
  Mounts: [
    {
      Type: 'volume',
      Name: 'web-data',
      Source: '/var/lib/docker/volumes/web-data/_data',
      Destination: '/data',
      Driver: 'local',
      Mode: 'z',
      RW: true,
      Propagation: '',
    },
  ],
  Config: {
    Hostname: '4f66ad9a0b2e',
    User: '101:101',
    ExposedPorts: { '80/tcp': {} },
    Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    Image: 'nginx:1.27',
    Healthcheck: { Test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], Interval: 30000000000 },
  },
  NetworkSettings: {
    Ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] },
    Networks: { 'app-net': { NetworkID: 'b1f0', IPAddress: '172.20.0.2' } },
  },
});

function merge(base: Obj, patch: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    const b = out[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b))
      out[k] = merge(b as Obj, v as Obj);
    else if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

const doc = (patch: Obj = {}) => JSON.stringify([merge(hardened(), patch)], null, 2);
const hc = (patch: Obj) => doc({ HostConfig: patch });
const at = (messageId: string, field?: string, data?: Record<string, string | number>) => ({
  messageId,
  line: 2,
  column: 3,
  ...(data ? { data: { container: 'web', ...data } } : {}),
  ...(field ? { field } : {}),
});

t.run(rule('privileged'), {
  valid: [doc()],
  invalid: [{ code: hc({ Privileged: true }), errors: [at('privileged', 'HostConfig.Privileged')] }],
});

t.run(rule('cap-add-critical'), {
  valid: [doc(), hc({ CapAdd: ['NET_BIND_SERVICE', 'NET_ADMIN'] })],
  invalid: [
    {
      code: hc({ CapAdd: ['CAP_SYS_ADMIN', 'chown', 'all'] }),
      errors: [
        at('capAdd', 'HostConfig.CapAdd', { cap: 'SYS_ADMIN' }),
        at('capAdd', 'HostConfig.CapAdd', { cap: 'ALL' }),
      ],
    },
  ],
});

t.run(rule('cap-add-high'), {
  valid: [doc(), hc({ CapAdd: ['SYS_ADMIN', 'CHOWN'] })],
  invalid: [
    {
      code: hc({ CapAdd: ['net_admin'] }),
      errors: [at('capAdd', 'HostConfig.CapAdd', { cap: 'NET_ADMIN' })],
    },
  ],
});

t.run(rule('cap-add'), {
  valid: [doc(), hc({ CapAdd: ['SYS_ADMIN', 'NET_ADMIN'] })],
  invalid: [
    {
      code: hc({ CapAdd: ['NET_BIND_SERVICE'] }),
      errors: [at('capAdd', 'HostConfig.CapAdd', { cap: 'NET_BIND_SERVICE' })],
    },
  ],
});

t.run(rule('seccomp-unconfined'), {
  valid: [doc(), hc({ SecurityOpt: ['seccomp=/etc/docker/seccomp/web.json', 'no-new-privileges'] })],
  invalid: [
    {
      code: hc({ SecurityOpt: ['seccomp=unconfined'] }),
      errors: [at('unconfined', 'HostConfig.SecurityOpt', { opt: 'seccomp=unconfined' })],
    },
    {
      name: 'legacy colon form',
      code: hc({ SecurityOpt: ['seccomp:unconfined'] }),
      errors: [at('unconfined')],
    },
  ],
});

t.run(rule('apparmor-unconfined'), {
  valid: [doc(), doc({ AppArmorProfile: 'web-profile' })],
  invalid: [
    {
      code: hc({ SecurityOpt: ['apparmor=unconfined'] }),
      errors: [at('unconfined', 'HostConfig.SecurityOpt', { opt: 'apparmor=unconfined' })],
    },
    { code: doc({ AppArmorProfile: 'unconfined' }), errors: [at('unconfined', 'AppArmorProfile')] },
    { code: doc({ AppArmorProfile: '' }), errors: [at('missing', 'AppArmorProfile')] },
  ],
});

t.run(rule('selinux-disabled'), {
  valid: [doc(), hc({ SecurityOpt: ['label=level:s0:c100,c200'] })],
  invalid: [
    { code: hc({ SecurityOpt: ['label=disable'] }), errors: [at('disabled', 'HostConfig.SecurityOpt')] },
    { code: hc({ SecurityOpt: ['label:disable'] }), errors: [at('disabled')] },
  ],
});

t.run(rule('no-new-privileges-missing'), {
  valid: [doc(), hc({ SecurityOpt: ['no-new-privileges'] }), hc({ SecurityOpt: ['no-new-privileges=true'] })],
  invalid: [
    { code: hc({ SecurityOpt: null }), errors: [at('missing', 'HostConfig.SecurityOpt')] },
    { code: hc({ SecurityOpt: ['no-new-privileges=false'] }), errors: [at('missing')] },
  ],
});

for (const [name, key, ok] of [
  ['host-network', 'NetworkMode', 'bridge'],
  ['host-pid', 'PidMode', 'container:db'],
  ['host-ipc', 'IpcMode', 'shareable'],
  ['host-uts', 'UTSMode', ''],
  ['userns-host', 'UsernsMode', ''],
  ['cgroupns-host', 'CgroupnsMode', 'private'],
] as const)
  t.run(rule(name), {
    valid: [doc(), hc({ [key]: ok })],
    invalid: [{ code: hc({ [key]: 'host' }), errors: [at('host', `HostConfig.${key}`)] }],
  });

t.run(rule('pids-limit'), {
  valid: [doc()],
  invalid: [
    { code: hc({ PidsLimit: null }), errors: [at('unlimited', 'HostConfig.PidsLimit', { value: 'null' })] },
    { code: hc({ PidsLimit: -1 }), errors: [at('unlimited', 'HostConfig.PidsLimit', { value: '-1' })] },
    { code: hc({ PidsLimit: 0 }), errors: [at('unlimited')] },
  ],
});

t.run(rule('memory-limit'), {
  valid: [doc()],
  invalid: [{ code: hc({ Memory: 0 }), errors: [at('unlimited', 'HostConfig.Memory')] }],
});

t.run(rule('cpu-limit'), {
  valid: [doc(), hc({ CpuShares: 0, NanoCpus: 1500000000 }), hc({ CpuShares: 0, CpuQuota: 50000 })],
  invalid: [
    { code: hc({ CpuShares: 0 }), errors: [at('unlimited', 'HostConfig.CpuShares')] },
    { name: 'default 1024 shares', code: hc({ CpuShares: 1024 }), errors: [at('unlimited')] },
  ],
});

t.run(rule('rootfs-writable'), {
  valid: [doc()],
  invalid: [{ code: hc({ ReadonlyRootfs: false }), errors: [at('writable', 'HostConfig.ReadonlyRootfs')] }],
});

const bind = (Source: string, Destination: string, extra: Obj = {}) => ({
  Type: 'bind',
  Source,
  Destination,
  Mode: '',
  RW: true,
  Propagation: 'rprivate',
  ...extra,
});

t.run(rule('sensitive-host-mount'), {
  valid: [
    doc(),
    doc({
      Mounts: [
        bind('/srv/www', '/usr/share/nginx/html'),
        bind('/var/run/docker.sock', '/var/run/docker.sock'),
      ],
    }),
    doc({ Mounts: [bind('/etcetera', '/x')] }),
  ],
  invalid: [
    {
      code: doc({ Mounts: [bind('/srv/www', '/www'), bind('/etc/ssl', '/certs', { RW: false })] }),
      errors: [at('mount', 'Mounts[1]', { source: '/etc/ssl', destination: '/certs', mode: 'read-only' })],
    },
    {
      code: doc({ Mounts: [bind('/', '/host')] }),
      errors: [at('mount', 'Mounts[0]', { source: '/', destination: '/host', mode: 'read-write' })],
    },
    {
      name: 'Binds when Mounts is empty',
      code: doc({ Mounts: [], HostConfig: { Binds: ['/proc:/host/proc:ro'] } }),
      errors: [
        at('mount', 'HostConfig.Binds[0]', { source: '/proc', destination: '/host/proc', mode: 'read-only' }),
      ],
    },
  ],
});

t.run(rule('docker-socket'), {
  valid: [doc(), doc({ Mounts: [bind('/srv/docker.sock.d', '/x')] })],
  invalid: [
    {
      code: doc({ Mounts: [bind('/var/run/docker.sock', '/var/run/docker.sock')] }),
      errors: [at('socket', 'Mounts[0]', { source: '/var/run/docker.sock' })],
    },
    {
      code: doc({ Mounts: [bind('/run/containerd/containerd.sock', '/run/containerd/containerd.sock')] }),
      errors: [at('socket')],
    },
  ],
});

t.run(rule('mount-propagation-shared'), {
  valid: [doc(), doc({ Mounts: [bind('/srv/a', '/a', { Propagation: 'rslave' })] })],
  invalid: [
    {
      code: doc({ Mounts: [bind('/mnt/data', '/data', { Propagation: 'rshared' })] }),
      errors: [at('shared', 'Mounts[0].Propagation', { destination: '/data', propagation: 'rshared' })],
    },
  ],
});

const ports = (p: Obj) => doc({ NetworkSettings: { Ports: p }, HostConfig: { PortBindings: p } });

t.run(rule('privileged-port'), {
  valid: [doc(), ports({ '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '8443' }], '9/udp': null })],
  invalid: [
    {
      code: ports({ '443/tcp': [{ HostIp: '127.0.0.1', HostPort: '443' }] }),
      errors: [at('port', 'NetworkSettings.Ports["443/tcp"]', { containerPort: '443/tcp', hostPort: 443 })],
    },
    {
      name: 'created, not started: PortBindings decide',
      code: doc({
        NetworkSettings: { Ports: undefined },
        HostConfig: { PortBindings: { '22/tcp': [{ HostIp: '', HostPort: '22' }] } },
      }),
      errors: [at('port', 'HostConfig.PortBindings["22/tcp"]')],
    },
  ],
});

t.run(rule('ports-all-interfaces'), {
  valid: [doc()],
  invalid: [
    {
      name: 'IPv4 and IPv6 wildcard reported once',
      code: ports({
        '80/tcp': [
          { HostIp: '0.0.0.0', HostPort: '8080' },
          { HostIp: '::', HostPort: '8080' },
        ],
      }),
      errors: [
        at('wildcard', 'NetworkSettings.Ports["80/tcp"]', {
          containerPort: '80/tcp',
          hostIp: '0.0.0.0',
          hostPort: 8080,
        }),
      ],
    },
  ],
});

t.run(rule('restart-policy'), {
  valid: [doc(), hc({ RestartPolicy: { Name: 'no', MaximumRetryCount: 0 } })],
  invalid: [
    {
      code: hc({ RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } }),
      errors: [at('always', 'HostConfig.RestartPolicy.Name', { policy: 'always' })],
    },
    { code: hc({ RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 } }), errors: [at('always')] },
    {
      code: hc({ RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 0 } }),
      errors: [at('unbounded', 'HostConfig.RestartPolicy.MaximumRetryCount', { max: 0 })],
    },
  ],
});

t.run(rule('no-healthcheck'), {
  valid: [doc(), doc({ Config: { Healthcheck: undefined } }), doc({ State: { Health: undefined } })],
  invalid: [
    {
      code: doc({ Config: { Healthcheck: undefined }, State: { Health: undefined } }),
      errors: [at('missing', 'Config.Healthcheck')],
    },
    {
      code: doc({ Config: { Healthcheck: { Test: ['NONE'] } } }),
      errors: [at('disabled', 'Config.Healthcheck.Test')],
    },
  ],
});

t.run(rule('default-bridge'), {
  valid: [doc(), hc({ NetworkMode: 'none' })],
  invalid: [
    { code: hc({ NetworkMode: 'default' }), errors: [at('bridge', 'HostConfig.NetworkMode')] },
    {
      code: doc({ NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' } } } }),
      errors: [at('bridge', 'NetworkSettings.Networks.bridge')],
    },
  ],
});

t.run(rule('devices'), {
  valid: [doc(), hc({ Devices: null })],
  invalid: [
    {
      code: hc({
        Devices: [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }],
      }),
      errors: [at('device', 'HostConfig.Devices[0]', { device: '/dev/fuse', permissions: 'rwm' })],
    },
  ],
});

t.run(rule('ulimits-override'), {
  valid: [doc(), hc({ Ulimits: [] })],
  invalid: [
    {
      code: hc({ Ulimits: [{ Name: 'nofile', Soft: 1048576, Hard: 1048576 }] }),
      errors: [at('ulimit', 'HostConfig.Ulimits[0]', { name: 'nofile', soft: '1048576', hard: '1048576' })],
    },
  ],
});

t.run(rule('root-user'), {
  valid: [doc(), doc({ Config: { User: 'nginx' } })],
  invalid: [
    { code: doc({ Config: { User: '' } }), errors: [at('root', 'Config.User', { user: 'empty' })] },
    { code: doc({ Config: { User: '0:0' } }), errors: [at('root', 'Config.User', { user: '"0:0"' })] },
    { code: doc({ Config: { User: 'root' } }), errors: [at('root')] },
  ],
});

it('every container rule has valid/invalid tests', () => {
  const missing = rules.map((r) => r.meta.id).filter((id) => !testedRuleIds().has(id));
  assert.deepEqual(missing, []);
});

it('every container rule carries a CIS id and a docker-bench id', () => {
  for (const r of rules) {
    assert.ok(
      r.meta.aliases.some((a) => /^CIS-Docker-\d+\.\d+$/.test(a)),
      r.meta.id,
    );
    assert.ok(
      r.meta.aliases.some((a) => /^docker-bench:\d+_\d+$/.test(a)),
      r.meta.id,
    );
  }
});

it('the hardened baseline passes every rule', () => {
  const parsed = parseInspectInput(doc(), 'inspect.json');
  for (const r of rules)
    assert.deepEqual(r.check(parsed.inputs[0]!.input, { file: 'x', settings: {} }), [], r.meta.id);
});
