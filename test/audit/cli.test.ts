import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { hasStackTrace, REPO, runCli } from '../cli/helpers.js';
import { validateReport } from './checks-schema.js';

const FIX = path.join(REPO, 'test/fixtures/audit');
const fixture = (p: string) => readFileSync(path.join(FIX, p), 'utf8').trim();
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bw-audit-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

interface Finding {
  ruleId: string;
  line: number;
  severity: string;
  file: string;
  object?: string;
}

/** exec (MEDIUM), privileged pod (HIGH), NodePort (MEDIUM), a harmless pod, each a line */
const MIXED = [
  fixture('falco/exec_pod.jsonl'),
  fixture('falco/create_nginx_pod_privileged.jsonl'),
  fixture('falco/create_nginx_service_nodeport.jsonl'),
  fixture('falco/create_nginx_pod_unprivileged.jsonl'),
].join('\n');

describe('bulwark audit', () => {
  it('reports findings as one JSON document in the checks report layout', async () => {
    const log = write('mixed.jsonl', `${MIXED}\n`);
    const run = await runCli(['audit', log, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as {
      kind: string;
      summary: { findings: number; errors: number };
      findings: Finding[];
    };
    assert.equal(doc.kind, 'checks');
    assert.deepEqual(
      doc.findings.map((f) => `${f.line}:${f.ruleId}`),
      ['1:audit/pod-exec', '2:audit/privileged-pod', '3:audit/nodeport-service'],
    );
    assert.equal(doc.findings[0]!.file, log);
    assert.match(run.stderr, /4 events, 3 findings, 0 bad lines/);
  });

  it('names each malformed line with file and line on stderr, goes on, counts them, exits 5', async () => {
    const log = write('bad.jsonl', `not json\n${MIXED}\n{"kind": 0}\n${'x'.repeat(6000)}\n`);
    const run = await runCli(['audit', log, '--format', 'json', '--max-line-size', '5000']);
    assert.equal(run.code, 5, run.stderr);
    assert.ok(!hasStackTrace(run.stderr));
    const errs = run.stderr.split('\n').filter((l) => l.startsWith('error['));
    assert.equal(errs.length, 3);
    assert.match(errs[0]!, new RegExp(`^error\\[MALFORMED_INPUT\\] ${escape(log)}: line 1: `));
    // an event longer than the bound is skipped without being held, with its own code
    assert.match(run.stderr, /error\[LIMIT_EXCEEDED\] .*: line 7: /);
    assert.match(run.stderr, /3 bad lines skipped/);
    assert.match(errs[1]!, /: line 6: kind: /);
    const doc = JSON.parse(run.stdout) as { findings: Finding[]; summary: { errors: number } };
    assert.ok(validateReport(doc), JSON.stringify(validateReport.errors));
    assert.equal(doc.summary.errors, 3);
    assert.deepEqual(
      doc.findings.map((f) => f.line),
      [2, 3, 4],
    );
  });

  it('names the first 1,000 bad lines of a file that is no log, counts them all, and holds none', async () => {
    const junk = Buffer.concat([
      Buffer.from('\xff\xfe\n', 'latin1'),
      Buffer.from('{not json}\n'.repeat(1500)),
      Buffer.from(`${MIXED}\n`),
    ]);
    const log = write('junk.bin', junk.toString('latin1'));
    writeFileSync(log, junk);
    const run = await runCli(['audit', log, '--format', 'json']);
    assert.equal(run.code, 5);
    assert.match(run.stderr, /^error\[MALFORMED_INPUT\] .*: line 1: not valid UTF-8$/m);
    assert.equal(run.stderr.split('\n').filter((l) => l.startsWith('error[')).length, 1000);
    assert.match(run.stderr, /4 events, 3 findings, 1501 bad lines skipped \(first 1000 listed\)/);
    const doc = JSON.parse(run.stdout) as { findings: Finding[]; summary: { errors: number } };
    assert.equal(doc.findings.length, 3);
    assert.equal(doc.summary.errors, 1000);
  });

  it('honours the severity filter, --exit-code and the ignore file like bulwark config', async () => {
    const log = write('sev.jsonl', `${MIXED}\n`);
    const high = await runCli(['audit', log, '--format', 'json', '--severity', 'HIGH', '--exit-code', '3']);
    assert.equal(high.code, 3);
    assert.deepEqual(
      (JSON.parse(high.stdout) as { findings: Finding[] }).findings.map((f) => f.ruleId),
      ['audit/privileged-pod'],
    );
    const ignore = write(
      'ignore.yaml',
      'ignore:\n  - id: audit/privileged-pod\n    reason: CNI agents run privileged here\n',
    );
    const quiet = await runCli(
      ['audit', log, '--format', 'json', '--severity', 'HIGH', '--exit-code', '3', '--ignore-file', ignore],
      {},
    );
    assert.equal(quiet.code, 0, quiet.stderr);
    const doc = JSON.parse(quiet.stdout) as { findings: Finding[]; suppressed: { reason: string }[] };
    assert.ok(validateReport(doc), JSON.stringify(validateReport.errors));
    assert.equal(doc.findings.length, 0);
    assert.equal(doc.suppressed[0]!.reason, 'CNI agents run privileged here');
  });

  it('writes SARIF and a table; reads stdin with -', async () => {
    const log = write('s.jsonl', `${MIXED}\n`);
    const sarif = await runCli(['audit', log, '--format', 'sarif']);
    assert.equal(sarif.code, 0, sarif.stderr);
    const s = JSON.parse(sarif.stdout) as {
      runs: { results: { ruleId: string }[]; tool: { driver: { rules: { id: string }[] } } }[];
    };
    assert.deepEqual(
      s.runs[0]!.results.map((r) => r.ruleId),
      ['audit/pod-exec', 'audit/privileged-pod', 'audit/nodeport-service'],
    );
    assert.equal(s.runs[0]!.tool.driver.rules.length, 3);
    const table = await runCli(['audit', log]);
    assert.match(table.stdout, /Findings: 3 \(CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 0\)/);
    const piped = await runPiped(['audit', '-', '--format', 'json'], `${MIXED}\n`);
    assert.equal(piped.code, 0, piped.stderr);
    const doc = JSON.parse(piped.stdout) as { findings: Finding[] };
    assert.equal(doc.findings.length, 3);
    assert.equal(doc.findings[0]!.file, '<stdin>');
  });

  it('reads an EventList document and gives usage and not-found errors their codes', async () => {
    const run = await runCli(['audit', path.join(FIX, 'recorded/eventlist.json'), '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const missing = await runCli(['audit', path.join(tmp, 'absent.log')]);
    assert.equal(missing.code, 4);
    assert.ok(!hasStackTrace(missing.stderr));
    const usage = await runCli(['audit', '--follow', '--format', 'sarif', path.join(tmp, 'absent.log')]);
    assert.equal(usage.code, 2);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `bulwark <args>` with `input` on stdin. */
function runPiped(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'test/cli/run-cli.ts'), ...args],
      {
        cwd: REPO,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}
