import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { hasStackTrace, runCli } from '../../cli/helpers.js';

const DEPLOY = 'test/checks/kubernetes/__fixtures__/deploy';
const tmp = mkdtempSync(path.join(tmpdir(), 'bulwark-pss-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

interface Entry {
  file: string;
  kind: string;
  name: string;
  namespace: string | null;
  allowed: boolean;
  violations: { control: string; reason: string; detail: string }[];
}

describe('bulwark pss', () => {
  it('prints one JSON entry per workload with PSA check ids, exit 0 by default', async () => {
    const r = await runCli(['pss', '--level', 'baseline', '--format', 'json', DEPLOY]);
    assert.equal(r.code, 0, r.stderr);
    const list = (JSON.parse(r.stdout) as { objects: Entry[] }).objects;
    assert.deepEqual(
      list.map((e) => [e.file, e.kind, e.name, e.namespace, e.allowed]),
      [
        [`${DEPLOY}/agent.yaml`, 'DaemonSet', 'log-agent', null, false],
        [`${DEPLOY}/agent.yaml`, 'CronJob', 'report', 'shop', true],
        [`${DEPLOY}/web.yaml`, 'Deployment', 'web', 'shop', true],
      ],
    );
    assert.deepEqual(
      list[0]!.violations.map((v) => v.control),
      ['capabilities_baseline', 'hostNamespaces', 'hostPathVolumes', 'privileged'],
    );
    assert.equal(list[0]!.violations[1]!.detail, 'hostPID=true');
    assert.equal((list[0]!.violations[1] as { field?: string }).field, 'spec.template.spec.hostPID');
  });

  it('restricted at a pinned version, with --exit-code when something is denied', async () => {
    const r = await runCli([
      'pss',
      '-l',
      'restricted',
      '--version',
      'v1.22',
      '-f',
      'json',
      '--exit-code',
      '3',
      DEPLOY,
    ]);
    assert.equal(r.code, 3);
    const list = (JSON.parse(r.stdout) as { objects: (Entry & { version: string })[] }).objects;
    assert.equal(list[0]!.version, 'v1.22');
    const cron = list.find((e) => e.kind === 'CronJob')!;
    assert.equal(cron.allowed, false);
    assert.deepEqual(
      cron.violations.map((v) => v.control),
      ['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted'],
    );
    assert.equal(list.find((e) => e.kind === 'Deployment')!.allowed, true);
  });

  it('renders a table naming each object and its verdict', async () => {
    const r = await runCli(['pss', '--level', 'baseline', `${DEPLOY}/agent.yaml`]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /DaemonSet\/log-agent/);
    assert.match(r.stdout, /DENIED/);
    assert.match(r.stdout, /2 objects, 1 denied/);
  });

  it('reports broken files with their error code after checking the rest', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: Pod\nmetadata: {name: x\n');
    const r = await runCli(['pss', '-l', 'baseline', '-f', 'json', bad, `${DEPLOY}/web.yaml`]);
    assert.equal(r.code, 5);
    assert.equal((JSON.parse(r.stdout) as { objects: Entry[] }).objects.length, 1);
    assert.match(r.stderr, /error\[MALFORMED_INPUT\]/);
    assert.ok(!hasStackTrace(r.stderr));
    const missing = await runCli(['pss', '-l', 'baseline', path.join(tmp, 'nope.yaml')]);
    assert.equal(missing.code, 4);
  });

  it('refuses alias bombs and invalid UTF-8 per file, bounded, and checks the other files', async () => {
    const bomb = path.join(tmp, 'bomb.yaml');
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [prev, name] of [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'e'],
      ['e', 'f'],
    ] as const)
      rows.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    writeFileSync(
      bomb,
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  ${rows.join('\n  ')}\n`,
    );
    const binary = path.join(tmp, 'binary.yaml');
    writeFileSync(binary, Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xc3, 0x28, 0x0a]));
    const r = await runCli(['pss', '-l', 'baseline', '-f', 'json', bomb, binary, `${DEPLOY}/web.yaml`]);
    assert.equal(r.code, 7, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as { objects: Entry[] }).objects.map((e) => e.name),
      ['web'],
    );
    assert.match(r.stderr, /error\[LIMIT_EXCEEDED\] .*bomb\.yaml/);
    assert.match(r.stderr, /error\[MALFORMED_INPUT\] .*binary\.yaml/);
    assert.ok(!hasStackTrace(r.stderr));
  });

  it('rejects bad levels and versions as usage errors', async () => {
    assert.equal((await runCli(['pss', '-l', 'strict', DEPLOY])).code, 2);
    const v = await runCli(['pss', '-l', 'baseline', '--version', '2.0', DEPLOY]);
    assert.equal(v.code, 2);
    assert.match(v.stderr, /error\[USAGE\]/);
  });
});
