/**
 * The notifier inside a real `bulwark server` process: `--notify-interval` drains the outbox on
 * its own, with the secret key from BULWARK_SECRET_KEY, and the process stops cleanly.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasStackTrace, runCli } from '../cli/helpers.js';
import { demoReport } from './fixtures.js';
import { webhookReceiver, type WebhookReceiver } from './receivers.js';
import { startServerProcess as spawnServer } from '../helpers/server-process.js';

const PASSWORD = 'notifier process admin password';
const KEY = 'process webhook signing key';

function start(dataDir: string, secretKey: string) {
  return spawnServer(['--data-dir', dataDir, '--notify-interval', '1', '--log-level', 'warn'], {
    BULWARK_ADMIN_PASSWORD: PASSWORD,
    BULWARK_SECRET_KEY: secretKey,
  });
}

describe('bulwark server --notify-interval', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof start>>;
  let hook: WebhookReceiver;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-notifier-'));
    hook = await webhookReceiver(KEY);
    server = await start(path.join(dir, 'data'), randomBytes(32).toString('hex'));
  });
  after(async () => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await hook.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers the events of an upload by itself, signed, and stops on SIGTERM', async () => {
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const headers = {
      'content-type': 'application/json',
      cookie: login.headers.get('set-cookie')!.split(';')[0]!,
      'x-csrf-token': csrfToken,
    };
    const ch = await fetch(`${server.url}/api/v1/notifications`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'hook', kind: 'webhook', webhook: { url: hook.url, secret: KEY } }),
    });
    assert.equal(ch.status, 201, await ch.text());
    const up = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers,
      body: JSON.stringify(await demoReport()),
    });
    assert.equal(up.status, 201);
    // a wait, not a timing assertion: the round runs every second
    for (let i = 0; i < 300 && hook.events.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      hook.events.map((e) => e.type),
      ['scan.completed'],
    );
    assert.deepEqual(
      hook.requests.map((r) => r.verdict),
      ['ok'],
    );
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (c) => resolve(c)));
    server.child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('refuses a malformed BULWARK_SECRET_KEY at start (exit 3), without a stack trace', async () => {
    const r = await runCli(['server', '--listen', '127.0.0.1:0', '--data-dir', path.join(dir, 'bad')], {
      BULWARK_ADMIN_PASSWORD: PASSWORD,
      BULWARK_SECRET_KEY: 'not a key',
    });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /CONFIG/);
    assert.ok(!hasStackTrace(r.stderr));
  });
});
