/**
 * End to end with the real CLI on both sides: `bulwark server` as a process on 127.0.0.1, and
 * `bulwark image --server URL` scanning the bundled demo image and uploading its report.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasStackTrace, runCli } from '../cli/helpers.js';
import { startServerProcess as spawnServer } from '../helpers/server-process.js';

const PASSWORD = 'end to end admin password';

function startServerProcess(dataDir: string) {
  return spawnServer(['--data-dir', dataDir], { BULWARK_ADMIN_PASSWORD: PASSWORD });
}

describe('bulwark image --server uploads to bulwark server', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServerProcess>>;
  let token: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-e2e-'));
    server = await startServerProcess(path.join(dir, 'data'));
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    assert.equal(login.status, 200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const t = await fetch(`${server.url}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'ci', scopes: ['read', 'write'] }),
    });
    assert.equal(t.status, 201);
    token = ((await t.json()) as { token: string }).token;
  });

  after(async () => {
    if (server?.child.exitCode === null) {
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz and logs JSON lines on stderr', async () => {
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
    const lines = server
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    assert.ok(lines.length > 0);
    for (const l of lines) assert.equal(typeof (JSON.parse(l) as { level: number }).level, 'number');
  });

  it('scans the demo image and stores exactly the report it wrote', async () => {
    const out = path.join(dir, 'report.json');
    const run = await runCli(
      [
        'image',
        '--format',
        'json',
        '-o',
        out,
        '--server',
        server.url,
        '--cache-dir',
        path.join(dir, 'cache'),
      ],
      { BULWARK_TOKEN: token },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /uploaded to .*: scan \d+ of image \d+/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { findings: unknown[] };
    const auth = { authorization: `Bearer ${token}` };
    const images = (await (await fetch(`${server.url}/api/v1/images`, { headers: auth })).json()) as {
      images: { id: number; repository: string; lastScanId: number; openFindings: number }[];
    };
    const demo = images.images.find((i) => i.repository === 'docker.io/library/demo');
    assert.ok(demo, JSON.stringify(images));
    const scan = (await (
      await fetch(`${server.url}/api/v1/scans/${demo.lastScanId}`, { headers: auth })
    ).json()) as {
      report: unknown;
    };
    assert.deepEqual(scan.report, written);
    assert.ok(written.findings.length > 0);
  });

  it('fails the run with a clear message when the upload is refused or the server is away', async () => {
    const cache = path.join(dir, 'cache');
    const noToken = await runCli(['image', '--format', 'json', '--server', server.url, '--cache-dir', cache]);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /BULWARK_TOKEN/);

    const refused = await runCli(
      ['image', '--format', 'json', '--server', server.url, '--cache-dir', cache],
      {
        BULWARK_TOKEN: 'bwk_not_a_real_token',
      },
    );
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /refused the report: HTTP 401/);
    assert.ok(!hasStackTrace(refused.stderr));

    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGTERM');
    await exited;
    const away = await runCli(['image', '--format', 'json', '--server', server.url, '--cache-dir', cache], {
      BULWARK_TOKEN: token,
    });
    assert.equal(away.code, 12);
    assert.match(away.stderr, /cannot upload the report/);
    assert.ok(!hasStackTrace(away.stderr));
  });
});
