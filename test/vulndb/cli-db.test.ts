/** `bulwark db update|status|export|import` as a user runs them: separate processes, JSON output, exit codes. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ERROR_CODES } from '../../src/core/errors.js';
import { SCHEMA_VERSION } from '../../src/vulndb/index.js';
import { makeMirror, removeDir, tempDir } from './helpers/fixtures.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';

const CHILD = path.join(import.meta.dirname, 'helpers', 'cli-child.ts');

function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? '/nonexistent', ...env },
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

describe('bulwark db (CLI)', () => {
  let dir: string;
  let server: MirrorServer;
  let env: Record<string, string>;
  before(async () => {
    dir = tempDir('cli');
    server = await startMirrorServer(makeMirror(path.join(dir, 'mirror'), ['Maven', 'npm']));
    env = { HOME: dir, BULWARK_CACHE_DIR: path.join(dir, 'cache'), BULWARK_DB_MIRROR: server.url };
  });
  after(async () => {
    await server.close();
    removeDir(dir);
  });

  it('status before any update exits with the DATABASE code and names the file', async () => {
    const r = await run(['db', 'status'], env);
    assert.equal(r.code, ERROR_CODES.DATABASE);
    assert.match(r.stderr, /^error\[DATABASE\] .*bulwark\.db:/m);
    assert.equal(r.stdout, '');
  });

  it('update reads the mirror from BULWARK_DB_MIRROR into the cache dir and reports JSON', async () => {
    const r = await run(['db', 'update', '--format', 'json'], env);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout);
    assert.equal(res.dbPath, path.join(dir, 'cache', 'db', 'bulwark.db'));
    assert.deepEqual(res.ecosystems, ['Maven', 'npm']);
    assert.equal(res.sources.find((s: { name: string }) => s.name === 'osv:npm').records, 470);
    // EPSS is absent from the mirror: a warning on stderr, not a failure.
    assert.match(r.stderr, /warning: epss feed unavailable/);
  });

  it('status --format json, and --max-age 0 warns that the database is stale', async () => {
    const r = await run(['db', 'status', '--format', 'json', '--max-age', '0'], env);
    assert.equal(r.code, 0, r.stderr);
    const st = JSON.parse(r.stdout);
    assert.equal(st.schemaVersion, SCHEMA_VERSION);
    assert.equal(st.stale, true);
    assert.equal(st.counts.kev, 1404);
    assert.match(r.stderr, /warning: the database is .* days old/);
    const table = await run(['db', 'status'], env);
    assert.match(table.stdout, /^osv:npm\s+osv\s+470\s/m);
    const bad = await run(['db', 'status', '--max-age', 'soon'], env);
    assert.equal(bad.code, ERROR_CODES.USAGE);
  });

  it('update --ecosystems with an explicit --db, then export and import through files', async () => {
    const db = path.join(dir, 'explicit', 'x.db');
    const u = await run(['db', 'update', '--ecosystems', 'Maven', '--no-kev', '--no-epss', '--db', db], env);
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /^osv:Maven\s+downloaded\s+1\s/m);
    const out = path.join(dir, 'export', 'db.tar');
    const e = await run(['db', 'export', out, '--db', db, '--format', 'json'], env);
    assert.equal(e.code, 0, e.stderr);
    assert.equal(JSON.parse(e.stdout).manifest.database.file, 'bulwark.db.gz');
    const target = path.join(dir, 'imported', 'y.db');
    const i = await run(['db', 'import', out, '--db', target], env);
    assert.equal(i.code, 0, i.stderr);
    assert.ok(existsSync(target));
    const st = await run(['db', 'status', '--db', target, '--format', 'json'], env);
    assert.deepEqual(JSON.parse(st.stdout).ecosystems, [{ ecosystem: 'Maven', records: 1 }]);
    const missing = await run(['db', 'import', path.join(dir, 'absent.tar'), '--db', target], env);
    assert.equal(missing.code, ERROR_CODES.INPUT_NOT_FOUND);
  });

  it('a mirror that 500s fails the update with the FEED exit code', async () => {
    server.override('/Maven/all.zip', (_q, r) => r.writeHead(500).end());
    try {
      const r = await run(['db', 'update', '--force', '--db', path.join(dir, 'f', 'x.db')], {
        ...env,
        BULWARK_DB_MIRROR: server.url,
      });
      assert.equal(r.code, ERROR_CODES.FEED, r.stderr);
      assert.match(r.stderr, /error\[FEED\] http:\/\/127\.0\.0\.1:\d+\/Maven\/all\.zip: HTTP 500/);
    } finally {
      server.override('/Maven/all.zip', undefined);
    }
  });
});
