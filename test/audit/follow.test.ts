import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { followFile, readAuditStream, type AuditItem } from '../../src/audit/index.js';
import { REPO } from '../cli/helpers.js';
import { validateFinding } from './checks-schema.js';

// No timings: every step waits for what it expects to see, with a generous overall deadline.
const FIX = path.join(REPO, 'test/fixtures/audit');
const line = (p: string) => `${readFileSync(path.join(FIX, p), 'utf8').trim()}\n`;
const EXEC = line('falco/exec_pod.jsonl');
const PRIVILEGED = line('falco/create_nginx_pod_privileged.jsonl');
const NODEPORT = line('falco/create_nginx_service_nodeport.jsonl');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bw-audit-follow-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Resolves when `cond()` holds, checked whenever `poke` fires and every 20 ms; rejects after 60 s. */
function until(cond: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      clearInterval(tick);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const tick = setInterval(() => {
      if (!cond()) return;
      clearInterval(tick);
      clearTimeout(deadline);
      resolve();
    }, 20);
  });
}

describe('followFile', () => {
  it('reads appended lines, then a replaced file and a truncated one from their start', async () => {
    const file = path.join(tmp, 'lib.log');
    writeFileSync(file, EXEC);
    const stop = new AbortController();
    const seen: AuditItem[] = [];
    const reading = (async () => {
      for await (const it of readAuditStream(followFile(file, { signal: stop.signal, pollMs: 10 })))
        seen.push(it);
    })();
    const events = () => seen.filter((i) => i.kind === 'event').length;
    await until(() => events() === 1, 'the first event');
    // half a line first: it must not come out until its newline does
    appendFileSync(file, PRIVILEGED.slice(0, 100));
    appendFileSync(file, PRIVILEGED.slice(100));
    await until(() => events() === 2, 'the appended event');
    // rotation by rename: what the old file still gets is read before switching
    renameSync(file, `${file}.1`);
    appendFileSync(`${file}.1`, EXEC);
    writeFileSync(file, NODEPORT);
    await until(() => events() === 4, 'the old file tail and the new file');
    // copytruncate: the file shrinks under the reader
    writeFileSync(file, EXEC.slice(0, 200));
    appendFileSync(file, EXEC.slice(200));
    await until(() => events() === 5, 'the truncated file read again');
    stop.abort();
    await reading;
    assert.deepEqual(
      seen.map((i) =>
        i.kind === 'event' ? `${i.line}:${i.event.verb}` : i.kind === 'reset' ? i.reason : i.kind,
      ),
      ['1:create', '2:create', '3:create', 'rotated', '1:create', 'truncated', '1:create'],
    );
  });

  it('names a missing file', async () => {
    const it = followFile(path.join(tmp, 'absent.log'), { signal: new AbortController().signal });
    await assert.rejects(it.next(), (e: { code?: string }) => e.code === 'INPUT_NOT_FOUND');
  });
});

describe('bulwark audit --follow', () => {
  it('writes one JSON finding a line as the log grows and rotates, and ends cleanly on SIGINT', async () => {
    const file = path.join(tmp, 'cli.log');
    writeFileSync(file, EXEC);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO, 'test/cli/run-cli.ts'),
        'audit',
        file,
        '--follow',
        '--format',
        'json',
        '--poll-interval',
        '20',
        '--exit-code',
        '9',
      ],
      {
        cwd: REPO,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const lines = () => stdout.split('\n').filter(Boolean);
    try {
      await until(() => lines().length === 1, 'the first finding');
      appendFileSync(file, `not json\n${PRIVILEGED}`);
      await until(() => lines().length === 2, 'the appended finding');
      assert.match(stderr, /error\[MALFORMED_INPUT\] .*cli\.log: line 2: not JSON/);
      renameSync(file, `${file}.1`);
      writeFileSync(file, NODEPORT);
      await until(() => lines().length === 3, 'the finding in the new file');
      assert.match(stderr, /replaced \(rotated\) after line 3/);
      child.kill('SIGINT');
      // as in bulwark config, a line that could not be checked decides the exit code over findings
      assert.equal(await closed, 5, stderr);
    } finally {
      child.kill('SIGKILL');
    }
    const found = lines().map((l) => JSON.parse(l) as { ruleId: string; line: number; file: string });
    // each line is a finding exactly as in the JSON report
    for (const f of found) assert.ok(validateFinding(f), JSON.stringify(validateFinding.errors));
    assert.deepEqual(
      found.map((f) => `${f.line}:${f.ruleId}`),
      ['1:audit/pod-exec', '3:audit/privileged-pod', '1:audit/nodeport-service'],
    );
    assert.match(stderr, /3 events, 3 findings, 1 bad lines skipped/);
  });
});
