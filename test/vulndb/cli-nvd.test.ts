/** `bulwark db update` and NVD as a user runs it: the API only when asked, the key from the environment. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeMirror, removeDir, tempDir } from './helpers/fixtures.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';
import { startNvdServer, type NvdServer } from './helpers/nvd-server.js';

const CHILD = path.join(import.meta.dirname, 'helpers', 'cli-child.ts');

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

interface Res {
  sources: { name: string; kind: string; status: string; records: number }[];
}

describe('bulwark db update and NVD (CLI)', () => {
  let dir: string;
  let mirror: MirrorServer;
  let nvd: NvdServer;
  let env: Record<string, string>;
  before(async () => {
    dir = tempDir('cli-nvd');
    mirror = await startMirrorServer(makeMirror(path.join(dir, 'mirror'), ['npm']));
    nvd = await startNvdServer();
    env = { HOME: dir, BULWARK_CACHE_DIR: path.join(dir, 'cache'), BULWARK_NVD_PAGE_DELAY_MS: '0' };
  });
  after(async () => {
    await mirror.close();
    await nvd.close();
    removeDir(dir);
  });

  it('beside a mirror, a key in the environment alone does not contact the NVD API', async () => {
    const r = await run(['db', 'update', '--mirror', mirror.url, '--no-epss', '--format', 'json'], {
      ...env,
      NVD_API_KEY: 'secret-key',
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(nvd.requests.length, 0);
    const res = JSON.parse(r.stdout) as Res;
    assert.equal(res.sources.find((s) => s.kind === 'nvd')?.status, 'missing');
  });

  it('--nvd-api-url opts in and sends NVD_API_KEY as the apiKey header', async () => {
    const r = await run(
      ['db', 'update', '--mirror', mirror.url, '--no-epss', '--nvd-api-url', nvd.url, '--format', 'json'],
      { ...env, NVD_API_KEY: 'secret-key' },
    );
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as Res;
    assert.deepEqual(
      res.sources.filter((s) => s.kind === 'nvd').map((s) => [s.name, s.status, s.records]),
      [['nvd', 'downloaded', 24]],
    );
    assert.equal(nvd.requests.length, 1);
    assert.equal(nvd.requests[0]!.apiKey, 'secret-key');
    // the key never appears in the output
    assert.ok(!r.stdout.includes('secret-key') && !r.stderr.includes('secret-key'));
    const st = await run(['db', 'status', '--format', 'json'], env);
    assert.equal(st.code, 0, st.stderr);
    assert.equal((JSON.parse(st.stdout) as { counts: { nvd: number } }).counts.nvd, 24);
  });

  it('--no-nvd drops NVD; a bad BULWARK_NVD_PAGE_DELAY_MS is a usage error', async () => {
    const r = await run(
      ['db', 'update', '--mirror', mirror.url, '--no-epss', '--no-nvd', '--format', 'json'],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!(JSON.parse(r.stdout) as Res).sources.some((s) => s.kind === 'nvd'));
    const bad = await run(['db', 'update', '--mirror', mirror.url], {
      ...env,
      BULWARK_NVD_PAGE_DELAY_MS: 'soon',
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /error\[USAGE\].*BULWARK_NVD_PAGE_DELAY_MS/);
  });
});
