import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { an } from './samples.js';

// The real CLI in a child process: formats, filters, exit codes; no output may hold a secret.
const MAIN = path.resolve('src/cli/main.ts');
const TSX = import.meta.resolve('tsx');
let dir: string;
const PAT = `ghp_${an(36)}`;
const PASSWORD = `Zq8${an(13)}`;

function cli(args: string[]) {
  const code = `import(${JSON.stringify(MAIN)}).then(async (m) => { process.exitCode = await m.main(${JSON.stringify(args)}); })`;
  const r = spawnSync(process.execPath, ['--import', TSX, '-e', code], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertNoSecret(text: string) {
  assert.ok(!text.includes(PAT.slice(4)), 'token leaked');
  assert.ok(!text.includes(PASSWORD), 'password leaked');
}

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-secrets-cli-'));
  await writeFile(path.join(dir, 'deploy.sh'), `#!/bin/sh\nexport GITHUB_TOKEN=${PAT}\n`);
  await writeFile(path.join(dir, 'settings.py'), `DATABASES_URL = "mysql://app:${PASSWORD}@db/app"\n`);
  await writeFile(
    path.join(dir, 'ignore.yaml'),
    `- id: secrets/database-url-mysql\n  path: settings.py\n  reason: rotated on 2026-11-01\n`,
  );
});
after(() => rm(dir, { recursive: true, force: true }));

describe('bulwark secrets', () => {
  it('prints JSON findings with ruleId, file, line, column, the redacted match, severity and title', () => {
    const r = cli(['secrets', '.', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    assertNoSecret(r.stdout);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(
      doc.findings.map((f: Record<string, unknown>) => [
        f.ruleId,
        f.file,
        f.line,
        f.column,
        f.match,
        f.severity,
      ]),
      [
        ['secrets/github-pat', 'deploy.sh', 2, 21, 'ghp_*****', 'CRITICAL'],
        [
          'secrets/database-url-mysql',
          'settings.py',
          1,
          18,
          `mysql://app:${PASSWORD.slice(0, 4)}*****@db`,
          'HIGH',
        ],
      ],
    );
    assert.equal(doc.findings[0].title, 'GitHub personal access token (classic)');
    assert.deepEqual(doc.findings[0].aliases, ['gitleaks:github-pat']);
    assert.equal(doc.summary.filesScanned, 3);
  });

  it('--severity, --ignore-file and --exit-code decide what remains and the exit status', () => {
    const r = cli(['secrets', '.', '--severity', 'HIGH', '--ignore-file', 'ignore.yaml', '--exit-code', '9']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Suppressed: 1/);
    const all = cli(['secrets', 'deploy.sh', '--exit-code', '9']);
    assert.equal(all.status, 9);
    assert.match(all.stdout, /secrets\/github-pat/);
    assertNoSecret(all.stdout);
  });

  it('writes SARIF with the rule metadata and redacted messages to --output', async () => {
    const r = cli(['secrets', '.', '--format', 'sarif', '-o', 'out.sarif']);
    assert.equal(r.status, 0, r.stderr);
    const text = await readFile(path.join(dir, 'out.sarif'), 'utf8');
    assertNoSecret(text);
    const log = JSON.parse(text);
    const run = log.runs[0];
    assert.deepEqual(run.tool.driver.rules.map((x: { id: string }) => x.id).sort(), [
      'secrets/database-url-mysql',
      'secrets/github-pat',
    ]);
    assert.equal(run.results.length, 2);
  });

  it('exits 4 for a missing path and 2 for a bad flag', () => {
    assert.equal(cli(['secrets', 'missing-dir']).status, 4);
    assert.equal(cli(['secrets', '.', '--format', 'xml']).status, 2);
  });

  it('lists its rules through bulwark rules --target secrets', () => {
    const r = cli(['rules', '--target', 'secrets', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const ids = JSON.parse(r.stdout).map((x: { id: string }) => x.id);
    assert.ok(ids.length >= 80);
    assert.ok(ids.includes('secrets/aws-access-key-id'));
  });
});

describe('bulwark secrets: files over the size limit', () => {
  it('names each skipped file on stderr with its size and the flag that raises the limit', async () => {
    await writeFile(path.join(dir, 'big.log'), 'x'.repeat(2048));
    const r = cli(['secrets', 'big.log', '--max-file-size', '1024']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /skipped big\.log: 2048 bytes, over the --max-file-size limit of 1024 bytes \(raise it with --max-file-size <bytes>\)/,
    );
    const all = cli(['secrets', 'big.log', '--max-file-size', '4096']);
    assert.doesNotMatch(all.stderr, /skipped/);
  });
});
