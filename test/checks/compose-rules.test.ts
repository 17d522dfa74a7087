import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ComposeFile } from '../../src/checks/compose/parse.js';
import { family, parseComposeInput, rules } from '../../src/checks/rules/compose/index.js';
import { ruleTester, testedRuleIds } from '../../src/checks/testing.js';
import type { Rule } from '../../src/checks/types.js';

const t = ruleTester(parseComposeInput, 'compose.yaml');
const rule = (name: string) => rules.find((r) => r.meta.id === `compose/${name}`)! as Rule<ComposeFile>;
const svc = (body: string) => `services:\n  web:\n    image: nginx:1.27\n${body}`;

t.run(rule('privileged'), {
  valid: [svc('    privileged: false\n'), svc('')],
  invalid: [
    { code: svc('    privileged: true\n'), errors: [{ messageId: 'privileged', line: 4, column: 5 }] },
  ],
});

t.run(rule('cap-sys-admin'), {
  valid: [svc('    cap_add: [NET_BIND_SERVICE]\n')],
  invalid: [
    {
      code: svc('    cap_add:\n      - NET_ADMIN\n      - CAP_SYS_ADMIN\n'),
      errors: [{ messageId: 'sysAdmin', line: 6, column: 9, data: { service: 'web', cap: 'SYS_ADMIN' } }],
    },
    { code: svc('    cap_add: ["ALL"]\n'), errors: [{ messageId: 'sysAdmin', line: 4, column: 15 }] },
  ],
});

t.run(rule('cap-add'), {
  valid: [svc('    cap_add: [SYS_ADMIN]\n'), svc('')],
  invalid: [
    { code: svc('    cap_add:\n      - NET_ADMIN\n'), errors: [{ messageId: 'capAdd', line: 5, column: 9 }] },
  ],
});

t.run(rule('cap-drop-all'), {
  valid: [svc('    cap_drop: [all]\n')],
  invalid: [
    { code: svc('    cap_drop: [NET_RAW]\n'), errors: [{ messageId: 'noDropAll', line: 2, column: 3 }] },
  ],
});

t.run(rule('host-namespaces'), {
  valid: [svc('    network_mode: bridge\n    pid: "service:db"\n')],
  invalid: [
    {
      code: svc('    network_mode: host\n    pid: host\n    ipc: host\n    userns_mode: "host"\n'),
      errors: [
        { messageId: 'host', line: 4, column: 5 },
        { messageId: 'host', line: 5, column: 5 },
        { messageId: 'host', line: 6, column: 5 },
        {
          messageId: 'host',
          line: 7,
          column: 5,
          data: { service: 'web', namespace: 'user', key: 'userns_mode' },
        },
      ],
    },
  ],
});

t.run(rule('docker-socket'), {
  valid: [
    svc(
      '    volumes:\n      - ./data:/data\n      - type: bind\n        source: /srv\n        target: /srv\n',
    ),
  ],
  invalid: [
    {
      code: svc(
        '    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - type: bind\n        source: /run/containerd/containerd.sock\n        target: /c.sock\n',
      ),
      errors: [
        { messageId: 'socket', line: 5, column: 9 },
        {
          messageId: 'socket',
          line: 6,
          column: 9,
          data: { service: 'web', source: '/run/containerd/containerd.sock' },
        },
      ],
    },
  ],
});

t.run(rule('security-opt-unconfined'), {
  valid: [svc('    security_opt:\n      - no-new-privileges:true\n      - seccomp:./profile.json\n')],
  invalid: [
    {
      code: svc(
        '    security_opt:\n      - seccomp:unconfined\n      - apparmor=unconfined\n      - label:disable\n',
      ),
      errors: [
        { messageId: 'unconfined', line: 5, column: 9 },
        { messageId: 'unconfined', line: 6, column: 9 },
        { messageId: 'unconfined', line: 7, column: 9 },
      ],
    },
  ],
});

t.run(rule('no-new-privileges-missing'), {
  valid: [svc('    security_opt: ["no-new-privileges:true"]\n')],
  invalid: [{ code: svc(''), errors: [{ messageId: 'missing', line: 2, column: 3 }] }],
});

t.run(rule('no-user'), {
  valid: [svc('    user: "10001:10001"\n')],
  invalid: [
    { code: svc(''), errors: [{ messageId: 'noUser', line: 2, column: 3 }] },
    { code: svc('    user: root\n'), errors: [{ messageId: 'root', line: 4, column: 11 }] },
    { code: svc('    user: "0:0"\n'), errors: [{ messageId: 'root', line: 4, column: 11 }] },
  ],
});

t.run(rule('no-read-only'), {
  valid: [svc('    read_only: true\n')],
  invalid: [
    { code: svc('    read_only: false\n'), errors: [{ messageId: 'writable', line: 4, column: 5 }] },
    { code: svc(''), errors: [{ messageId: 'writable', line: 2, column: 3 }] },
  ],
});

t.run(rule('no-resource-limits'), {
  valid: [
    svc('    mem_limit: 256m\n    cpus: 0.5\n    pids_limit: 100\n'),
    svc(
      '    deploy:\n      resources:\n        limits:\n          memory: 256M\n          cpus: "0.5"\n          pids: 100\n',
    ),
  ],
  invalid: [
    {
      code: svc('    mem_limit: 256m\n'),
      errors: [
        { messageId: 'noLimit', line: 2, column: 3, data: { service: 'web', what: 'CPU' } },
        { messageId: 'noLimit', line: 2, column: 3, data: { service: 'web', what: 'PID' } },
      ],
    },
  ],
});

t.run(rule('ports-all-interfaces'), {
  valid: [
    svc(
      '    ports:\n      - "127.0.0.1:8080:80"\n      - "80"\n      - target: 80\n        host_ip: 127.0.0.1\n        published: "8080"\n',
    ),
  ],
  invalid: [
    {
      code: svc(
        '    ports:\n      - "8080:80"\n      - 0.0.0.0:9090:90/udp\n      - target: 80\n        published: 8081\n',
      ),
      errors: [
        { messageId: 'allInterfaces', line: 5, column: 9, data: { service: 'web', port: '8080:80' } },
        { messageId: 'allInterfaces', line: 6, column: 9 },
        { messageId: 'allInterfaces', line: 7, column: 9, data: { service: 'web', port: '8081' } },
      ],
    },
  ],
});

t.run(rule('devices'), {
  valid: [svc('')],
  invalid: [
    {
      code: svc('    devices:\n      - "/dev/sda:/dev/xvda:rwm"\n'),
      errors: [{ messageId: 'device', line: 5, column: 9 }],
    },
  ],
});

t.run(rule('latest-tag'), {
  valid: [svc(''), 'services:\n  a:\n    image: ${IMAGE}\n  b:\n    build: .\n'],
  invalid: [
    { code: 'services:\n  a:\n    image: redis\n', errors: [{ messageId: 'untagged', line: 3, column: 12 }] },
    {
      code: 'version: "2"\nservices:\n  a:\n    image: "redis:latest"\n',
      errors: [{ messageId: 'latest', line: 4, column: 12 }],
    },
  ],
});

t.run(rule('secrets-in-environment'), {
  valid: [
    svc(
      '    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n      DB_PASSWORD_FILE: /run/secrets/db\n      PASSWORD:\n',
    ),
  ],
  invalid: [
    {
      code: svc('    environment:\n      - DB_PASSWORD=hunter2\n      - MODE=prod\n'),
      errors: [{ messageId: 'secret', line: 5, column: 9, data: { service: 'web', name: 'DB_PASSWORD' } }],
    },
    {
      code: svc('    environment:\n      API_KEY: abc123\n'),
      errors: [{ messageId: 'secret', line: 5, column: 16 }],
    },
  ],
});

t.run(rule('sensitive-host-mount'), {
  valid: [
    svc(
      '    volumes:\n      - ./data:/data\n      - logs:/var/log\n      - /srv/app:/app\n      - type: volume\n        source: etc\n        target: /etc/x\n',
    ),
  ],
  invalid: [
    {
      code: svc(
        '    volumes:\n      - /:/host:ro\n      - type: bind\n        source: /etc\n        target: /h/etc\n',
      ),
      errors: [
        {
          messageId: 'mount',
          line: 5,
          column: 9,
          data: { service: 'web', source: '/', mode: ' (read-only)' },
        },
        {
          messageId: 'mount',
          line: 6,
          column: 9,
          data: { service: 'web', source: '/etc', mode: ' read-write' },
        },
      ],
    },
  ],
});

it('every compose rule has valid and invalid cases', () => {
  const missing = family.rules.map((r) => r.meta.id).filter((id) => !testedRuleIds().has(id));
  assert.deepEqual(missing, []);
});

it('applies YAML merge keys (<<: *anchor) with positions at the anchor, explicit keys winning', async () => {
  const { runRule } = await import('../../src/checks/testing.js');
  const code =
    'x-base: &base\n  privileged: true\n  user: root\nservices:\n  a:\n    <<: *base\n    image: a:1\n    user: "1000"\n';
  assert.deepEqual(
    runRule(parseComposeInput, rule('privileged'), code).map((r) => [r.line, r.column]),
    [[2, 3]],
  );
  assert.deepEqual(runRule(parseComposeInput, rule('no-user'), code), []);
});
