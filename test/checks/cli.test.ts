import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

// The real CLI in a child process: flags, exit codes, stdout formats.
const MAIN = path.resolve('src/cli/main.ts');
// resolved here: the child runs in a temp folder where the bare name would not resolve
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

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bulwark-config-cli-'));
  await writeFile(path.join(dir, 'Dockerfile'), 'FROM alpine:latest\nRUN apk add curl\nUSER root\n');
  await writeFile(
    path.join(dir, 'compose.yaml'),
    'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n',
  );
  await writeFile(path.join(dir, 'broken.yaml'), 'services:\n  web: [\n');
});
after(() => rm(dir, { recursive: true, force: true }));

describe('bulwark config', () => {
  it('prints JSON findings with ruleId, aliases, severity, file, line, column, message, remediation', () => {
    const r = cli(['config', 'Dockerfile', 'compose.yaml', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    const root = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'dockerfile/root-user');
    assert.deepEqual(
      { ...root, message: typeof root.message, remediation: typeof root.remediation },
      {
        ...root,
        ruleId: 'dockerfile/root-user',
        severity: 'HIGH',
        file: 'Dockerfile',
        line: 3,
        column: 6,
        message: 'string',
        remediation: 'string',
      },
    );
    assert.ok(root.aliases.includes('DL3002'));
    const priv = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'compose/privileged');
    assert.deepEqual([priv.file, priv.line, priv.column, priv.severity], ['compose.yaml', 4, 5, 'CRITICAL']);
  });

  it('filters by --severity and returns --exit-code when findings remain', () => {
    const r = cli(['config', '.', '--format', 'json', '--severity', 'CRITICAL', '--exit-code', '9']);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(
      doc.findings.map((f: { ruleId: string }) => f.ruleId),
      ['compose/privileged'],
    );
    // broken.yaml looks like compose but does not parse: the error's code wins over --exit-code
    assert.deepEqual(
      doc.errors.map((e: { file: string; code: string }) => [e.file, e.code]),
      [['broken.yaml', 'MALFORMED_INPUT']],
    );
    assert.equal(r.status, 5);
    const clean = cli(['config', 'Dockerfile', '--severity', 'CRITICAL', '--exit-code', '9']);
    assert.equal(clean.status, 0);
    const dirty = cli(['config', 'compose.yaml', '--severity', 'CRITICAL', '--exit-code', '9']);
    assert.equal(dirty.status, 9);
  });

  it('uses an ignore file and writes SARIF to --output', async () => {
    await writeFile(
      path.join(dir, 'ignore.yaml'),
      '- id: CIS-Docker-5.5\n  path: compose.yaml\n  reason: needs devices\n',
    );
    const r = cli([
      'config',
      'compose.yaml',
      '--ignore-file',
      'ignore.yaml',
      '--format',
      'sarif',
      '-o',
      'out.sarif',
      '--severity',
      'CRITICAL',
      '--exit-code',
      '1',
    ]);
    assert.equal(r.status, 0, r.stderr);
    const sarif = JSON.parse(await readFile(path.join(dir, 'out.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; suppressions?: { justification: string }[] }[];
    assert.deepEqual(
      results.filter((x) => !x.suppressions).map((x) => x.ruleId),
      [],
    );
    assert.deepEqual(
      results.filter((x) => x.ruleId === 'compose/privileged').map((x) => x.suppressions?.[0]?.justification),
      ['needs devices'],
    );
    const all = JSON.parse(cli(['config', 'compose.yaml', '--format', 'sarif']).stdout);
    const ids = all.runs[0].results.map((x: { ruleId: string }) => x.ruleId);
    assert.ok(ids.includes('compose/privileged'));
    const loc = all.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'compose/privileged')
      .locations[0].physicalLocation;
    assert.deepEqual(
      [loc.artifactLocation.uri, loc.region.startLine, loc.region.startColumn],
      ['compose.yaml', 4, 5],
    );
  });

  it('fails with INPUT_NOT_FOUND (4) for a missing path and USAGE (2) for a bad flag', () => {
    assert.equal(cli(['config', 'missing']).status, 4);
    assert.equal(cli(['config', '.', '--format', 'xml']).status, 2);
  });
});

describe('bulwark rules', () => {
  it('lists every rule with id, aliases, severity, title and target', () => {
    const r = cli(['rules', '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const list = JSON.parse(r.stdout) as {
      id: string;
      aliases: string[];
      severity: string;
      title: string;
      target: string;
    }[];
    const ids = list.map((x) => x.id);
    assert.deepEqual(ids, [...ids].sort());
    assert.ok(ids.includes('dockerfile/package-pin') && ids.includes('compose/docker-socket'));
    const pin = list.find((x) => x.id === 'dockerfile/package-pin')!;
    assert.ok(pin.aliases.includes('DL3008'));
    assert.equal(pin.target, 'dockerfile');
    const compose = JSON.parse(cli(['rules', '--format', 'json', '--target', 'compose']).stdout) as {
      target: string;
    }[];
    assert.ok(compose.length >= 15 && compose.every((x) => x.target === 'compose'));
  });
});
