import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { hasStackTrace, REPO } from './helpers.js';

const cache = mkdtempSync(path.join(os.tmpdir(), 'bulwark-pipe-'));
after(() => rmSync(cache, { recursive: true, force: true }));

/** `bulwark <args> | head -c 1`: the reader takes its first bytes, then closes the pipe. */
function readFirstBytesThenClose(
  args: string[],
): Promise<{ code: number | null; first: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'test/cli/run-cli.ts'), ...args],
      {
        cwd: REPO,
        env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), NO_COLOR: '1', BULWARK_CACHE_DIR: cache },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let first = '';
    let stderr = '';
    child.stdout.once('data', (d: Buffer) => {
      first = d.toString().slice(0, 20);
      child.stdout.destroy();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, first, stderr }));
  });
}

describe('a reader that stops early', () => {
  for (const args of [
    ['rules'],
    ['image', '--format', 'json'],
    ['version', 'compare', '-e', 'npm', '--help'],
  ]) {
    it(`bulwark ${args.join(' ')} ends quietly, as Unix tools do`, async () => {
      const r = await readFirstBytesThenClose(args);
      assert.ok(r.first.length > 0, 'the reader got output first');
      assert.equal(hasStackTrace(r.stderr), false, r.stderr);
      assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
      // 141 (128 + SIGPIPE) when a write met the closed pipe; 0 when everything was written before it closed
      assert.ok(r.code === 141 || r.code === 0, `exit ${r.code}: ${r.stderr}`);
    });
  }
});
