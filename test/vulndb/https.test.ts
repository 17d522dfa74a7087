/** HTTPS mirrors: the default trust store refuses a private CA; `fetch.ca` trusts it; no downgrade to http. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { dbStatus, updateDb } from '../../src/vulndb/index.js';
import { LOOPBACK_SAN, selfSignedCert } from '../helpers/tls.js';
import { makeMirror, removeDir, tempDir } from './helpers/fixtures.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';

let dir: string;
let server: MirrorServer;
let cert: string;

before(async () => {
  dir = tempDir('https');
  const { key, cert: crt } = await selfSignedCert(dir, '/CN=127.0.0.1', LOOPBACK_SAN);
  cert = readFileSync(crt, 'utf8');
  server = await startMirrorServer(makeMirror(path.join(dir, 'mirror'), ['Maven']), {
    tls: { key: readFileSync(key, 'utf8'), cert },
  });
});
after(async () => {
  await server.close();
  removeDir(dir);
});

it('refuses an untrusted certificate with NETWORK, accepts it as an extra CA, refuses https->http', async () => {
  const dbPath = path.join(dir, 'db', 'bulwark.db');
  await assert.rejects(updateDb({ dbPath, mirror: server.url, fetch: { retries: 0 } }), (e: unknown) => {
    assert.ok(e instanceof BulwarkError);
    assert.equal(e.code, 'NETWORK');
    assert.equal(e.input, `${server.url}ecosystems.txt`);
    return true;
  });
  const res = await updateDb({ dbPath, mirror: server.url, fetch: { retries: 0, ca: cert } });
  assert.equal(res.sources.find((s) => s.name === 'osv:Maven')?.records, 1);
  assert.equal(dbStatus(dbPath).counts.kev, 1404);

  server.override('/Maven/all.zip', (_q, r) =>
    r.writeHead(302, { location: 'http://127.0.0.1:9/Maven/all.zip' }).end(),
  );
  try {
    await assert.rejects(
      updateDb({ dbPath, mirror: server.url, fetch: { retries: 0, ca: cert }, force: true }),
      (e: unknown) => {
        assert.ok(e instanceof BulwarkError);
        assert.equal(e.code, 'FEED');
        return true;
      },
    );
  } finally {
    server.override('/Maven/all.zip', undefined);
  }
});
