import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkParsed, type CheckFinding } from '../../src/checks/index.js';
import { family, type ImageConfigInput } from '../../src/checks/rules/image-config/index.js';
import type { ImageConfigSummary } from '../../src/core/types.js';
import { BulwarkError } from '../../src/core/errors.js';
import { redactCreatedBy } from '../../src/report/redact.js';

function run(config: ImageConfigSummary | undefined, extra: Partial<ImageConfigInput> = {}): CheckFinding[] {
  const input: ImageConfigInput = {
    name: 'img',
    kind: config ? 'image' : 'rootfs',
    ...(config ? { config } : {}),
    layers: [],
    packages: [],
    facts: [],
    ...extra,
  };
  return checkParsed({ inputs: [{ input }] }, 'img', family).findings;
}
const ids = (fs: CheckFinding[], rule: string) => fs.filter((f) => f.ruleId === `image-config/${rule}`);
const HEALTHY = { healthcheck: { Test: ['CMD', 'true'] } };

describe('image-config rules on crafted configs', () => {
  it('root-user: unset, root and 0 are root; a named or numeric user is not', () => {
    assert.equal(ids(run({ ...HEALTHY }), 'root-user').length, 1);
    for (const user of ['root', '0', '0:0', 'root:wheel', ' root '])
      assert.equal(ids(run({ user, ...HEALTHY }), 'root-user').length, 1, user);
    for (const user of ['app', '1000', '1000:1000', 'nobody'])
      assert.deepEqual(ids(run({ user, ...HEALTHY }), 'root-user'), [], user);
    assert.deepEqual(run(undefined), [], 'a root filesystem has no config to judge');
  });

  it('no-healthcheck: missing, empty and NONE are reported; a probe is not', () => {
    assert.equal(ids(run({ user: 'app' }), 'no-healthcheck')[0]?.message, 'the image has no HEALTHCHECK');
    assert.match(
      ids(run({ user: 'app', healthcheck: { Test: ['NONE'] } }), 'no-healthcheck')[0]!.message,
      /HEALTHCHECK NONE/,
    );
    assert.equal(ids(run({ user: 'app', healthcheck: 'garbage' }), 'no-healthcheck').length, 1);
    assert.deepEqual(ids(run({ user: 'app', ...HEALTHY }), 'no-healthcheck'), []);
  });

  it('secrets-in-env: credential names with literal values and credential-shaped values, redacted', () => {
    const env = [
      'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzzzzzzzzz',
      'GITHUB_TOKEN=',
      'DB_PASSWORD=$FROM_RUNTIME',
      'DB_PASSWORD_FILE=/run/secrets/db',
      'PWD=/srv',
      'KEY_ID=abc',
      'RELEASE=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'REDIS_PASS=hunter2',
      'NOT_A_PAIR',
    ];
    const found = ids(
      run({ user: 'app', ...HEALTHY, env: [...env, 42 as unknown as string] }),
      'secrets-in-env',
    );
    assert.deepEqual(
      found.map((f) => f.field),
      ['config.Env[0]', 'config.Env[6]', 'config.Env[7]'],
    );
    assert.match(found[1]!.message, /shaped like a real credential/);
    for (const f of found) assert.doesNotMatch(f.message, /wJalr|ghp_|hunter2/);
  });

  it('secrets-in-labels: credential labels and URLs with passwords', () => {
    const found = ids(
      run({
        user: 'app',
        ...HEALTHY,
        labels: {
          'org.opencontainers.image.source': 'https://github.com/acme/app',
          'ci.mirror': 'https://builder:s3cr3t-pass@mirror.example.com/repo',
          'com.acme.api-key': 'k-123456',
          maintainer: 'ops@example.com',
        },
      }),
      'secrets-in-labels',
    );
    assert.deepEqual(
      found.map((f) => f.field),
      ['config.Labels["ci.mirror"]', 'config.Labels["com.acme.api-key"]'],
    );
    assert.match(found[0]!.message, /password for user builder/);
    assert.ok(!found.some((f) => f.message.includes('s3cr3t') || f.message.includes('k-123456')));
  });

  it('secrets-in-history: ARG defaults, build args, --build-arg, curl/wget passwords, URL credentials', () => {
    const history = [
      { createdBy: '/bin/sh -c #(nop)  ARG NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789' },
      {
        createdBy: '|2 HTTP_PROXY=http://proxy:3128 SENTRY_AUTH_TOKEN=abc123 /bin/sh -c make',
        emptyLayer: false,
      },
      { createdBy: 'RUN /bin/sh -c docker build --build-arg DB_PASS=pw1 . # buildkit' },
      {
        createdBy:
          'RUN /bin/sh -c wget --password=pw2 https://example.com/a && curl --user ci:pw3 https://x # buildkit',
      },
      { createdBy: 'RUN /bin/sh -c git clone https://bot:pw4@git.example.com/r.git # buildkit' },
      { createdBy: 'RUN |1 VERSION=1.2.3 /bin/sh -c curl -u "$USER:$PASS" https://x # buildkit' },
    ];
    const found = ids(run({ user: 'app', ...HEALTHY, history }), 'secrets-in-history');
    const at = (i: number) =>
      found.filter((f) => f.field === `history[${i}].created_by`).map((f) => f.message);
    assert.equal(at(0).length, 1);
    assert.match(at(1).join(), /SENTRY_AUTH_TOKEN/);
    assert.doesNotMatch(at(1).join(), /HTTP_PROXY/);
    assert.match(at(2).join(), /DB_PASS/);
    assert.equal(at(3).length, 2);
    assert.match(at(4).join(), /user bot/);
    assert.deepEqual(at(5), [], 'variables are references, not secrets');
    for (const m of found.map((f) => f.message)) assert.doesNotMatch(m, /pw\d|abc123|npm_abc/);
  });

  it('add-remote-url: remote ADD (classic and BuildKit history), not with --checksum, credentials masked', () => {
    const history = [
      { createdBy: '/bin/sh -c #(nop) ADD https://example.com/a.tgz in /opt/' },
      { createdBy: 'ADD --chown=1000 https://u:p@example.com/b.tgz /opt/ # buildkit' },
      { createdBy: 'ADD --checksum=sha256:0123 https://example.com/c.tgz /opt/ # buildkit' },
      { createdBy: '/bin/sh -c #(nop) ADD file:abc in /' },
      { createdBy: 'COPY https-helper /opt/ # buildkit' },
    ];
    const found = ids(run({ user: 'app', ...HEALTHY, history }), 'add-remote-url');
    assert.deepEqual(
      found.map((f) => f.field),
      ['history[0].created_by', 'history[1].created_by'],
    );
    assert.match(found[1]!.message, /https:\/\/example\.com\/b\.tgz/);
    assert.doesNotMatch(found[1]!.message, /u:p@/);
  });

  it('package-upgrade: whole-system upgrades only', () => {
    const cmds = {
      'apt-get update && apt-get -y dist-upgrade': true,
      'apk upgrade --no-cache': true,
      'yum -y update': true,
      'yum update -y openssl': false,
      'dnf upgrade-minimal': false,
      'apt-get install -y unattended-upgrades': false,
      'DEBIAN_FRONTEND=noninteractive apt-get upgrade -y': true,
    };
    for (const [cmd, want] of Object.entries(cmds)) {
      const history = [{ createdBy: `/bin/sh -c ${cmd}` }];
      assert.equal(
        ids(run({ user: 'app', ...HEALTHY, history }), 'package-upgrade').length,
        want ? 1 : 0,
        cmd,
      );
    }
  });

  it('latest-tag: untagged and latest references; versioned and digest-pinned ones pass', () => {
    const want = {
      nginx: 'untagged',
      'nginx:latest': 'latest',
      'localhost:5000/team/api': 'untagged',
      'localhost:5000/team/api:latest': 'latest',
      'localhost:5000/team/api:1.2': '',
      'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef': '',
      'nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef': '',
    };
    for (const [reference, kind] of Object.entries(want)) {
      const found = ids(run({ user: 'app', ...HEALTHY }, { reference }), 'latest-tag');
      if (!kind) assert.deepEqual(found, [], reference);
      else
        assert.match(
          found[0]?.message ?? '',
          kind === 'latest' ? /uses the `latest` tag/ : /has no tag/,
          reference,
        );
    }
  });

  it('expose-ssh, ssh-server-installed and sudo from ports and packages', () => {
    const f = run(
      { user: 'app', ...HEALTHY, exposedPorts: ['22/tcp', '2222/tcp', '8080/tcp'] },
      {
        packages: [
          { name: 'dropbear', version: '2022.83-r0' },
          { name: 'sudo', version: '1.9.15' },
          { name: 'openssh-client', version: '9.6' },
        ],
      },
    );
    assert.deepEqual(
      ids(f, 'expose-ssh').map((x) => x.field),
      ['config.ExposedPorts["22/tcp"]'],
    );
    assert.deepEqual(
      ids(f, 'ssh-server-installed').map((x) => x.object),
      ['dropbear@2022.83-r0'],
    );
    assert.deepEqual(
      ids(f, 'sudo').map((x) => x.object),
      ['sudo@1.9.15'],
    );
  });

  it('parses an image config or `docker inspect` JSON, and rejects malformed text', () => {
    const inspect = JSON.stringify([
      { Config: { User: '', Env: ['API_TOKEN=zzz-123'], Healthcheck: null, ExposedPorts: { '22/tcp': {} } } },
    ]);
    const parsed = family.parse(inspect, 'inspect.json');
    const found = checkParsed(parsed, 'inspect.json', family).findings.map((f) => f.ruleId);
    assert.deepEqual(found.sort(), [
      'image-config/expose-ssh',
      'image-config/no-healthcheck',
      'image-config/root-user',
      'image-config/secrets-in-env',
    ]);
    assert.throws(
      () => family.parse('{not json', 'x.json'),
      (e: unknown) => e instanceof BulwarkError && e.code === 'MALFORMED_INPUT',
    );
    assert.equal(
      family.matchName('config.json'),
      'no',
      '`bulwark config` never claims files for this family',
    );
  });

  it('survives hostile config values (wrong types, huge strings)', () => {
    const huge = 'A'.repeat(2_000_000);
    const cfg = {
      user: 42,
      env: 'not a list',
      labels: { x: { nested: true }, PASSWORD: huge },
      exposedPorts: [null, 22],
      history: [null, { createdBy: `ADD ${huge}` }, { createdBy: 7 }],
    } as unknown as ImageConfigSummary;
    const r = checkParsed(
      {
        inputs: [{ input: { name: 'img', kind: 'image', config: cfg, layers: [], packages: [], facts: [] } }],
      },
      'img',
      family,
    );
    assert.deepEqual(r.warnings, [], 'no rule failed');
    assert.ok(r.findings.some((f) => f.ruleId === 'image-config/root-user'));
  });
});

describe('setuid allow-list', () => {
  it('knows the setuid programs a Debian 12 base ships, and nothing in /usr/local', async () => {
    const { expectedSetuid } = await import('../../src/checks/rules/image-config/support/setuid.js');
    // `find / -perm /6000 -type f` on a Debian 12 host with openssh, dbus and polkit installed
    const debian = [
      'usr/sbin/unix_chkpwd',
      'usr/lib/polkit-1/polkit-agent-helper-1',
      'usr/lib/x86_64-linux-gnu/utempter/utempter',
      'usr/lib/openssh/ssh-keysign',
      'usr/lib/dbus-1.0/dbus-daemon-launch-helper',
      'usr/bin/gpasswd',
      'usr/bin/expiry',
      'usr/bin/newgrp',
      'usr/bin/chage',
      'usr/bin/chfn',
      'usr/bin/ssh-agent',
      'usr/bin/umount',
      'usr/bin/mount',
      'usr/bin/passwd',
      'usr/bin/chsh',
      'usr/bin/su',
    ];
    for (const p of debian) assert.equal(expectedSetuid(p), true, p);
    for (const p of ['usr/local/bin/su', 'opt/app/passwd', 'usr/bin/python3', 'tmp/utempter'])
      assert.equal(expectedSetuid(p), false, p);
  });
});

describe('history redaction in reports', () => {
  it('masks build args, curl users, password flags and URL credentials; keeps the rest', () => {
    assert.equal(
      redactCreatedBy(
        'RUN |2 API_TOKEN=abc VERSION=1.2 /bin/sh -c curl -u bot:pw https://a:b@h/x --password=z # buildkit',
      ),
      'RUN |2 API_TOKEN=**** VERSION=1.2 /bin/sh -c curl -u bot:**** https://a:****@h/x --password=**** # buildkit',
    );
    assert.equal(redactCreatedBy('/bin/sh -c apt-get install -y curl'), '/bin/sh -c apt-get install -y curl');
  });
});
