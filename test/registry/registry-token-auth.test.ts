// Bearer token auth against a real docker-registry configured with `auth.token`: a token server in
// the test signs RS256 JWTs with a key whose self-signed certificate is the registry's root bundle.
import assert from 'node:assert/strict';
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { RegistryClient, resolveImage, type RegistryClientOptions } from '../../src/registry/index.js';
import {
  buildImage,
  selfSignedCert,
  readAll,
  sha256,
  startRegistry,
  tempDir,
  type RunningRegistry,
} from './helpers.js';

function isCode(code: string) {
  return (e: unknown) => e instanceof BulwarkError && e.code === code;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

describe('bearer token auth against a real docker-registry', () => {
  let reg: RunningRegistry;
  let dir: string;
  let tokenServer: http.Server;
  const tokenRequests: { scopes: string[]; user?: string; method: string; grant?: string }[] = [];
  const clients: RegistryClient[] = [];
  const client = (opts: RegistryClientOptions = {}) => {
    const c = new RegistryClient({ retry: { baseDelayMs: 1, maxTotalWaitMs: 100 }, ...opts });
    clients.push(c);
    return c;
  };
  const config = async (auths: unknown) => {
    const p = path.join(dir, `${randomUUID()}.json`);
    await writeFile(p, JSON.stringify({ auths }));
    return p;
  };

  before(async () => {
    dir = await tempDir('token-auth');
    const { key: keyPath, cert: certPath } = await selfSignedCert(dir, '/CN=bulwark-token');
    const key = createPrivateKey(await readFile(keyPath));
    const certDer = new X509Certificate(await readFile(certPath)).raw;

    tokenServer = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        let scopes = url.searchParams.getAll('scope');
        let user: string | undefined;
        let grant: string | undefined;
        if (req.method === 'POST') {
          const form = new URLSearchParams(Buffer.concat(chunks).toString());
          grant = form.get('grant_type') ?? undefined;
          scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
          if (form.get('refresh_token') !== 'refresh-123') return void res.writeHead(401).end();
          user = 'alice';
        } else if (req.headers.authorization) {
          const [u, p] = Buffer.from(req.headers.authorization.replace(/^Basic /, ''), 'base64')
            .toString()
            .split(':');
          if (u !== 'alice' || p !== 's3cret')
            return void res.writeHead(401).end('{"details":"bad credentials"}');
          user = u;
        }
        tokenRequests.push({ scopes, user, method: req.method ?? '', grant });
        // Anonymous users may pull; alice may push too.
        const access = scopes.flatMap((s) => {
          const [type, name, actions] = s.split(':');
          if (type !== 'repository' || !name || !actions) return [];
          const granted = actions.split(',').filter((a) => a === 'pull' || (a === 'push' && user));
          return [{ type, name, actions: granted }];
        });
        const now = Math.floor(Date.now() / 1000);
        const header = b64url(
          JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [certDer.toString('base64')] }),
        );
        const claims = b64url(
          JSON.stringify({
            iss: 'bulwark-issuer',
            sub: user ?? '',
            aud: 'bulwark-registry',
            exp: now + 300,
            nbf: now - 10,
            iat: now,
            jti: randomUUID(),
            access,
          }),
        );
        const signature = b64url(sign('sha256', Buffer.from(`${header}.${claims}`), key));
        const jwt = `${header}.${claims}.${signature}`;
        res.writeHead(200, { 'content-type': 'application/json' });
        // Alternate the two field names registries use.
        res.end(
          JSON.stringify(
            req.method === 'POST' ? { access_token: jwt, expires_in: 300 } : { token: jwt, expires_in: 300 },
          ),
        );
      });
    });
    await new Promise<void>((r) => tokenServer.listen(0, '127.0.0.1', r));
    const tokenPort = (tokenServer.address() as AddressInfo).port;
    reg = await startRegistry(
      [
        'auth:',
        '  token:',
        `    realm: http://127.0.0.1:${tokenPort}/token`,
        '    service: bulwark-registry',
        '    issuer: bulwark-issuer',
        `    rootcertbundle: ${certPath}`,
      ].join('\n'),
    );
  });

  after(async () => {
    for (const c of clients) c.close();
    await reg?.stop();
    tokenServer?.closeAllConnections();
    await new Promise((r) => tokenServer?.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('pushes with basic credentials exchanged for a token, then pulls anonymously with a pull token', async () => {
    const repo = `${reg.host}/secure/app`;
    const image = await buildImage([{ 'etc/issue': 'token test' }]);
    const pusher = client({
      dockerConfigPath: await config({ [reg.host]: { username: 'alice', password: 's3cret' } }),
    });
    for (const l of image.layers) await pusher.pushBlob(repo, l.blob);
    await pusher.pushBlob(repo, image.config);
    await pusher.pushManifest(repo, 'v1', image.manifest, image.mediaType);
    const pushTokens = tokenRequests.filter((r) => r.user === 'alice');
    assert.ok(pushTokens.some((r) => r.scopes.includes('repository:secure/app:pull,push')));
    // One token per scope, reused for every later request in that scope.
    assert.equal(pushTokens.filter((r) => r.scopes.includes('repository:secure/app:pull,push')).length, 1);

    const before = tokenRequests.length;
    const anon = client();
    const img = await resolveImage(anon, `${repo}:v1`);
    assert.equal(img.manifestDigest, image.manifestDigest);
    const blob = await readAll(
      await anon.openBlob(repo, { digest: img.layers[0]!.digest, size: img.layers[0]!.size }),
    );
    assert.equal(sha256(blob), image.layers[0]!.digest);
    const anonTokens = tokenRequests.slice(before);
    assert.equal(anonTokens.length, 1);
    assert.equal(anonTokens[0]!.user, undefined);
    assert.deepEqual(anonTokens[0]!.scopes, ['repository:secure/app:pull']);
  });

  test('parallel layer downloads with a fresh client share one token fetch', async () => {
    const repo = `${reg.host}/secure/parallel`;
    const image = await buildImage([{ a: '1' }, { b: '2' }, { c: '3' }, { d: '4' }]);
    const pusher = client({
      dockerConfigPath: await config({ [reg.host]: { username: 'alice', password: 's3cret' } }),
    });
    for (const l of image.layers) await pusher.pushBlob(repo, l.blob);
    const before = tokenRequests.length;
    const anon = client();
    const blobs = await Promise.all(
      image.layers.map(async (l) =>
        readAll(await anon.openBlob(repo, { digest: l.digest, size: l.blob.length })),
      ),
    );
    assert.deepEqual(
      blobs.map(sha256),
      image.layers.map((l) => l.digest),
    );
    assert.equal(tokenRequests.length - before, 1);
  });

  test('an identity token is exchanged as an OAuth2 refresh token (POST, access_token answer)', async () => {
    const repo = `${reg.host}/secure/idtok`;
    const image = await buildImage([{ a: 'b' }]);
    const c = client({ dockerConfigPath: await config({ [reg.host]: { identitytoken: 'refresh-123' } }) });
    for (const l of image.layers) await c.pushBlob(repo, l.blob);
    await c.pushBlob(repo, image.config);
    await c.pushManifest(repo, 'v1', image.manifest, image.mediaType);
    assert.ok(tokenRequests.some((r) => r.method === 'POST' && r.grant === 'refresh_token'));
    assert.deepEqual(await c.listTags(repo), ['v1']);
  });

  test('anonymous push is refused with REGISTRY_AUTH; bad credentials at the token server too', async () => {
    const image = await buildImage([{ c: 'd' }]);
    await assert.rejects(client().pushBlob(`${reg.host}/secure/anon`, image.config), isCode('REGISTRY_AUTH'));
    const bad = client({
      dockerConfigPath: await config({ [reg.host]: { auth: Buffer.from('alice:wrong').toString('base64') } }),
    });
    await assert.rejects(
      resolveImage(bad, `${reg.host}/secure/app:v1`),
      (e: unknown) => isCode('REGISTRY_AUTH')(e) && (e as Error).message.includes(reg.host),
    );
  });
});
