/**
 * An update killed with SIGKILL in the middle of building leaves the previous database working, and
 * the next update removes the dead process's temp files.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { dbStatus, openVulnDb, updateDb } from '../../src/vulndb/index.js';
import { makeMirror, removeDir, tempDir } from './helpers/fixtures.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';

let dir: string;
let server: MirrorServer;
before(async () => {
  dir = tempDir('kill');
  server = await startMirrorServer(makeMirror(path.join(dir, 'mirror'), ['Maven', 'npm']));
});
after(async () => {
  await server.close();
  removeDir(dir);
});

it('kill -9 mid-update keeps the previous database and leaves nothing that is used', async () => {
  const dbPath = path.join(dir, 'db', 'bulwark.db');
  await updateDb({ dbPath, mirror: server.url, kev: false, epss: false });
  const before = dbStatus(dbPath);
  assert.equal(before.counts.records, 471);

  // The second feed stalls half-way, so the child has already written Maven into its temp database.
  let stalled!: () => void;
  const reachedStall = new Promise<void>((r) => (stalled = r));
  server.override('/npm/all.zip', (_req, res) => {
    res.writeHead(200, { 'content-length': '400000' });
    res.write(Buffer.alloc(64 * 1024, 1), () => stalled());
  });

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'helpers', 'update-child.ts'), dbPath, server.url],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
  await Promise.race([reachedStall, exited.then(() => assert.fail(`child ended early: ${stderr}`))]);
  const pid = child.pid!;
  const strays = (): string[] => readdirSync(path.dirname(dbPath)).filter((n) => n.includes(String(pid)));
  // Wait for the child's feed download file to appear (the temp database exists before it).
  for (let i = 0; i < 200 && !strays().some((n) => n.startsWith('.bulwark-feed-')); i++)
    await new Promise((r) => setTimeout(r, 20));
  assert.ok(
    strays().some((n) => n.startsWith('bulwark.db.tmp-')),
    strays().join(','),
  );
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
  server.override('/npm/all.zip', undefined);

  // The old database is the one in place and it still answers.
  const afterKill = dbStatus(dbPath);
  assert.equal(afterKill.builtAt, before.builtAt);
  assert.equal(afterKill.counts.records, 471);
  const db = openVulnDb(dbPath);
  try {
    assert.ok(db.lookup('npm', 'lodash').length > 0);
  } finally {
    db.close();
  }
  assert.ok(strays().length >= 2, 'the killed build left its temp files');

  // The next update cleans up after the dead process.
  await updateDb({ dbPath, mirror: server.url, kev: false, epss: false });
  assert.deepEqual(readdirSync(path.dirname(dbPath)), ['bulwark.db']);
});
