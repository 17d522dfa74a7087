import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defineRule } from '../../src/checks/define-rule.js';
import { checkPaths, checkText } from '../../src/checks/engine.js';
import { parseCheckIgnoreFile } from '../../src/checks/ignore-file.js';
import { family as dockerfile } from '../../src/checks/rules/dockerfile/index.js';
import type { RuleFamily } from '../../src/checks/types.js';

let dir: string;
let outside: string;

const DOCKERFILE = [
  'FROM debian:12.8',
  '# bulwark:ignore=dockerfile/sudo reason: build host needs it',
  'RUN sudo true',
  '# hadolint ignore=DL3008,DL3015',
  'RUN apt-get update && \\',
  '    apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
  '# bulwark:ignore=DL3003',
  'RUN cd /tmp',
  'USER 10001',
  'HEALTHCHECK CMD ["true"]',
  '',
].join('\n');

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-checks-'));
  outside = await mkdtemp(path.join(os.tmpdir(), 'bulwark-outside-'));
  await writeFile(path.join(dir, 'Dockerfile'), DOCKERFILE);
  await mkdir(path.join(dir, 'svc'));
  await writeFile(
    path.join(dir, 'svc', 'docker-compose.prod.yml'),
    'services:\n  web:\n    image: nginx:1.27\n    privileged: true # bulwark:ignore=compose/privileged reason: needs /dev access\n    pid: host\n',
  );
  await writeFile(path.join(dir, 'svc', 'stack.yaml'), 'services:\n  db:\n    image: postgres\n');
  await writeFile(path.join(dir, 'svc', 'other.yaml'), 'just: data\n');
  await mkdir(path.join(dir, 'node_modules', 'x'), { recursive: true });
  await writeFile(path.join(dir, 'node_modules', 'x', 'Dockerfile'), 'FROM alpine\n');
  await writeFile(path.join(outside, 'Dockerfile'), 'FROM alpine\n');
  await symlink(path.join(outside, 'Dockerfile'), path.join(dir, 'linked.dockerfile'));
  await mkdir(path.join(dir, 'bad'));
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let k = 0; k < 9; k++)
    bomb.push(
      `${String.fromCharCode(98 + k)}: &${String.fromCharCode(98 + k)} [*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)},*${String.fromCharCode(97 + k)}]`,
    );
  await writeFile(
    path.join(dir, 'bad', 'compose.yaml'),
    `services:\n  x:\n    image: a:1\n${bomb.join('\n')}\n`,
  );
  await writeFile(path.join(dir, 'bad', 'docker-compose.yml'), Buffer.from([0x73, 0x65, 0xff, 0xfe, 0x0a]));
  await writeFile(path.join(dir, 'bad', 'Containerfile'), Buffer.from([0x46, 0x52, 0x00, 0x01]));
  await writeFile(
    path.join(dir, 'bad', 'compose.deep.yaml'),
    `services:\n  x: ${'['.repeat(200)}${']'.repeat(200)}\n`,
  );
  await writeFile(path.join(dir, 'bad', 'huge.dockerfile'), `FROM a:1\n${'# x\n'.repeat(1_200_000)}`);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('checkPaths', () => {
  it('detects files by name and content, skips node_modules and links leaving the root', async () => {
    const r = await checkPaths([dir]);
    const rel = (f: string) => path.relative(dir, f);
    assert.deepEqual(
      r.files.map((f) => [rel(f.file), f.family]),
      [
        ['Dockerfile', 'dockerfile'],
        ['svc/docker-compose.prod.yml', 'compose'],
        ['svc/stack.yaml', 'compose'],
      ],
    );
    assert.deepEqual(
      r.errors.map((e) => [rel(e.file), e.code]),
      [
        ['bad/Containerfile', 'MALFORMED_INPUT'],
        ['bad/compose.deep.yaml', 'LIMIT_EXCEEDED'],
        ['bad/compose.yaml', 'LIMIT_EXCEEDED'],
        ['bad/docker-compose.yml', 'MALFORMED_INPUT'],
        ['bad/huge.dockerfile', 'LIMIT_EXCEEDED'],
      ],
    );
  });

  it('honours inline suppressions with a reason and hadolint comments, warns on a missing reason', async () => {
    const r = await checkPaths([path.join(dir, 'Dockerfile')]);
    const ids = r.findings.map((f) => `${f.ruleId}@${f.line}:${f.column}`);
    assert.ok(!ids.some((x) => x.startsWith('dockerfile/sudo')));
    assert.ok(!ids.some((x) => x.startsWith('dockerfile/package-pin')));
    assert.ok(!ids.some((x) => x.startsWith('dockerfile/apt-no-install-recommends')));
    assert.ok(ids.includes('dockerfile/run-cd@8:5'), 'a suppression without reason must not apply');
    assert.deepEqual(
      r.suppressed.map((s) => [s.ruleId, s.line, s.suppressedBy]),
      [
        ['dockerfile/sudo', 3, 'inline'],
        ['dockerfile/apt-no-install-recommends', 6, 'inline'],
        ['dockerfile/package-pin', 6, 'inline'],
      ],
    );
    assert.deepEqual(
      r.warnings.map((w) => w.line),
      [7],
    );
  });

  it('applies the ignore file (id or alias, path prefix, expiry) and the severity filter', async () => {
    const ignore = parseCheckIgnoreFile(
      'ignore:\n  - id: CIS-Docker-5.10\n    path: svc\n    reason: sidecar\n  - id: compose/no-user\n    reason: old\n    expires: 2020-01-01\n',
      '.bulwarkignore.yaml',
    );
    const r = await checkPaths([path.join(dir, 'svc')], {
      ignore,
      severities: ['HIGH', 'CRITICAL'],
      baseDir: dir,
      today: '2026-11-22',
    });
    assert.deepEqual(
      r.findings.map((f) => [path.basename(f.file), f.ruleId, f.line]),
      [],
    );
    assert.deepEqual(
      r.suppressed.map((s) => [path.basename(s.file), s.ruleId, s.suppressedBy, s.reason]),
      [
        ['docker-compose.prod.yml', 'compose/privileged', 'inline', 'needs /dev access'],
        ['docker-compose.prod.yml', 'compose/host-namespaces', 'ignore-file', 'sidecar'],
      ],
    );
    const all = await checkPaths([path.join(dir, 'svc')], { ignore, today: '2026-11-22', baseDir: dir });
    assert.ok(
      all.findings.some((f) => f.ruleId === 'compose/no-user'),
      'expired entries no longer apply',
    );
  });

  it('rejects an ignore entry without a reason', () => {
    assert.throws(() => parseCheckIgnoreFile('- id: x\n', 'f'), { code: 'CONFIG' });
  });

  it('follows a folder link the user named', async () => {
    const link = path.join(outside, 'to-svc');
    await symlink(path.join(dir, 'svc'), link);
    const r = await checkPaths([link]);
    assert.deepEqual(
      r.files.map((f) => path.basename(f.file)),
      ['docker-compose.prod.yml', 'stack.yaml'],
    );
  });

  it('skips Helm templates found while walking with a warning, but fails them when named', async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'bulwark-helm-'));
    try {
      await mkdir(path.join(d, 'templates'));
      const tpl = path.join(d, 'templates', 'deployment.yaml');
      await writeFile(tpl, 'services:\n  {{ .Values.name }}:\n    image: {{ .Values.image }}\n  - [\n');
      const walked = await checkPaths([d]);
      assert.deepEqual(walked.errors, []);
      assert.deepEqual(
        walked.warnings.map((w) => w.file),
        [tpl],
      );
      const named = await checkPaths([tpl]);
      assert.deepEqual(
        named.errors.map((e) => e.code),
        ['MALFORMED_INPUT'],
      );
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });

  it('reports a missing path as INPUT_NOT_FOUND and an unknown file as UNSUPPORTED', async () => {
    await assert.rejects(checkPaths([path.join(dir, 'nope')]), { code: 'INPUT_NOT_FOUND' });
    const r = await checkPaths([path.join(dir, 'svc', 'other.yaml')]);
    assert.deepEqual(
      r.errors.map((e) => e.code),
      ['UNSUPPORTED'],
    );
  });

  it('sorts findings deterministically', async () => {
    const a = await checkPaths([dir]);
    const b = await checkPaths([dir]);
    assert.deepEqual(a, b);
    const keys = a.findings.map((f) => [f.file, f.line, f.column]);
    assert.deepEqual(
      keys,
      [...keys].sort((x, y) =>
        x[0]! < y[0]!
          ? -1
          : x[0]! > y[0]!
            ? 1
            : (x[1] as number) - (y[1] as number) || (x[2] as number) - (y[2] as number),
      ),
    );
  });
});

describe('checkText', () => {
  it('turns a throwing rule into a warning and keeps the other rules', () => {
    const boom = defineRule({
      meta: { ...dockerfile.rules[0]!.meta, id: 'dockerfile/boom', messages: { x: 'x' } },
      check: (): { messageId: 'x'; line: number; column: number }[] => {
        throw new Error('kaput');
      },
    });
    const fam: RuleFamily = { ...dockerfile, rules: [boom, ...dockerfile.rules] } as RuleFamily;
    const r = checkText('FROM alpine\n', 'Dockerfile', fam);
    assert.deepEqual(
      r.warnings.map((w) => w.ruleId),
      ['dockerfile/boom'],
    );
    assert.ok(r.findings.some((f) => f.ruleId === 'dockerfile/latest-tag'));
  });
});

describe('suppression comments', () => {
  it('honours hadolint global ignore for the whole file', () => {
    const r = checkText(
      '# hadolint global ignore=DL3007\nFROM alpine:latest\nFROM debian:latest\n',
      'Dockerfile',
      dockerfile,
    );
    assert.deepEqual(
      r.suppressed.filter((s) => s.ruleId === 'dockerfile/latest-tag').map((s) => s.line),
      [2, 3],
    );
    assert.ok(!r.findings.some((f) => f.ruleId === 'dockerfile/latest-tag'));
  });

  it('applies a comment above a continued instruction to findings on its later lines', () => {
    const r = checkText(
      'FROM debian:12\n# bulwark:ignore=DL3008 reason: tracked in RENOVATE-12\nRUN apt-get update && \\\n  apt-get install -y \\\n    curl\nRUN apt-get install -y wget\n',
      'Dockerfile',
      dockerfile,
    );
    const pins = (list: { ruleId: string; line: number }[]) =>
      list.filter((f) => f.ruleId === 'dockerfile/package-pin').map((f) => f.line);
    assert.deepEqual(pins(r.suppressed), [5]);
    assert.deepEqual(pins(r.findings), [6]);
  });
});

describe('checkParsed', () => {
  it('runs rules on inputs that did not come from a file, with the ignore file and severity filter', async () => {
    const { parseDockerfile } = await import('../../src/checks/dockerfile/parse.js');
    const { checkParsed } = await import('../../src/checks/engine.js');
    const parsed = { inputs: [{ input: parseDockerfile('FROM alpine\nUSER root\n'), object: 'image x' }] };
    const r = checkParsed(parsed, 'history', dockerfile, {
      severities: ['HIGH', 'MEDIUM'],
      ignore: [{ id: 'DL3006', reason: 'base is rebuilt nightly' }],
    });
    assert.deepEqual(
      r.findings.map((f) => [f.ruleId, f.object]),
      [['dockerfile/root-user', 'image x']],
    );
    assert.deepEqual(
      r.suppressed.map((s) => s.ruleId),
      ['dockerfile/latest-tag'],
    );
  });
});

describe('file count bound', () => {
  it('counts only candidate files and refuses a run with more than maxFiles of them', async () => {
    const d = await mkdtemp(path.join(os.tmpdir(), 'bulwark-many-'));
    try {
      for (let k = 0; k < 5; k++) await writeFile(path.join(d, `file${k}.txt`), 'x');
      await writeFile(path.join(d, 'Dockerfile'), 'FROM a:1\n');
      await writeFile(path.join(d, 'compose.yaml'), 'services: {}\n');
      assert.equal((await checkPaths([d], { maxFiles: 2 })).files.length, 2);
      await writeFile(path.join(d, 'b.dockerfile'), 'FROM a:1\n');
      await assert.rejects(checkPaths([d], { maxFiles: 2 }), { code: 'LIMIT_EXCEEDED' });
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });
});
