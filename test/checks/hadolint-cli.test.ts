import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

// The hadolint-equivalent rules through the real CLI: the label schema flags reach the label
// rules, and `bulwark rules` lists the rules with their hadolint ids.
const MAIN = path.resolve('src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
let dir: string;

function cli(args: string[]) {
  const code = `import(${JSON.stringify(MAIN)}).then(async (m) => { process.exitCode = await m.main(${JSON.stringify(args)}); })`;
  const r = spawnSync(process.execPath, ['--import', TSX, '-e', code], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Finding {
  ruleId: string;
  line: number;
  column: number;
  message: string;
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-hadolint-cli-'));
  await writeFile(
    path.join(dir, 'Dockerfile'),
    'FROM alpine:3.20 AS build\nFROM alpine:3.20\nLABEL org.opencontainers.image.version=v1 team=x\nUSER 10001\n',
  );
});
after(() => rm(dir, { recursive: true, force: true }));

describe('hadolint label schema through bulwark config', () => {
  const labelRules = (fs: Finding[]) => fs.filter((f) => f.ruleId.startsWith('dockerfile/label-'));

  it('is off without --require-label', () => {
    const r = cli(['config', 'Dockerfile', '-f', 'json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(labelRules((JSON.parse(r.stdout) as { findings: Finding[] }).findings), []);
  });

  it('reports missing, invalid and (with --strict-labels) superfluous labels', () => {
    const r = cli([
      'config',
      'Dockerfile',
      '-f',
      'json',
      '--require-label',
      'org.opencontainers.image.version:semver,org.opencontainers.image.source:url',
      '--strict-labels',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const got = labelRules((JSON.parse(r.stdout) as { findings: Finding[] }).findings).map(
      (f) => `${f.ruleId} ${f.line}:${f.column}`,
    );
    assert.deepEqual(got.sort(), [
      'dockerfile/label-invalid 3:7',
      'dockerfile/label-missing 1:1',
      'dockerfile/label-missing 1:1',
      'dockerfile/label-missing 2:1',
      'dockerfile/label-superfluous 3:43',
    ]);
  });

  it('refuses an unknown label type as a usage error', () => {
    const r = cli(['config', 'Dockerfile', '--require-label', 'version:number']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--require-label takes label:type/);
  });
});

describe('bulwark rules lists the hadolint-equivalent rules', () => {
  it('with their hadolint ids as aliases', () => {
    const r = cli(['rules', '--target', 'dockerfile', '-f', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as
      { id: string; aliases: string[] }[] | { rules: { id: string; aliases: string[] }[] };
    const rules = Array.isArray(doc) ? doc : doc.rules;
    const codes = new Set(rules.flatMap((x) => x.aliases.filter((a) => /^DL\d{4}$/.test(a))));
    for (const code of [
      'DL1001',
      'DL3021',
      'DL3044',
      'DL3049',
      'DL3059',
      'DL3064',
      'DL3067',
      'DL4001',
      'DL4005',
    ])
      assert.ok(codes.has(code), `${code} is no alias of any listed rule`);
    assert.ok(rules.some((x) => x.id === 'dockerfile/label-invalid'));
  });
});
