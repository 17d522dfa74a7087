import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasStackTrace, runCli } from './helpers.js';

describe('configuration file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bw-config-'));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('supplies the cache dir and database path when flags and environment do not', async () => {
    const cache = path.join(dir, 'cache');
    // the demo run builds the demo database inside the configured cache dir
    await mkdir(path.join(dir, 'xdg', 'bulwark'), { recursive: true });
    await writeFile(path.join(dir, 'xdg', 'bulwark', 'config.yaml'), `cacheDir: ${cache}\n`);
    const demo = await runCli(['image', '--format', 'json'], { XDG_CONFIG_HOME: path.join(dir, 'xdg') });
    assert.equal(demo.code, 0, demo.stderr);
    const dbFile = path.join(cache, 'demo', 'bulwark-demo.db');
    await writeFile(path.join(dir, 'explicit.yaml'), `db:\n  path: ${dbFile}\n  maxAgeDays: 100000\n`);
    const status = await runCli(['db', 'status', '--format', 'json'], {
      BULWARK_CONFIG: path.join(dir, 'explicit.yaml'),
    });
    assert.equal(status.code, 0, status.stderr);
    const parsed = JSON.parse(status.stdout) as { path?: string; stale?: boolean };
    assert.equal(parsed.path, dbFile);
    assert.equal(parsed.stale, false);
    // a flag still wins over the file
    const missing = await runCli(['db', 'status', '--db', path.join(dir, 'none.db')], {
      BULWARK_CONFIG: path.join(dir, 'explicit.yaml'),
    });
    assert.equal(missing.code, 13);
  });

  it('rejects an invalid file with CONFIG naming it', async () => {
    const bad = path.join(dir, 'bad.yaml');
    await writeFile(bad, 'cacheDir: 42\nunknownKey: true\n');
    const run = await runCli(['db', 'status'], { BULWARK_CONFIG: bad });
    assert.equal(run.code, 3);
    assert.match(run.stderr, new RegExp(`error\\[CONFIG\\] ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
    assert.ok(!hasStackTrace(run.stderr));
    const missing = await runCli(['db', 'status'], { BULWARK_CONFIG: path.join(dir, 'absent.yaml') });
    assert.equal(missing.code, 3);
  });
});
