// Registry misbehaviour a real registry cannot be made to show: 429 with Retry-After, 500s, dropped
// connections, redirect loops, redirects to blob storage on another host, huge manifests, wrong
// digests, schema1, stalls. Small fake servers speaking the distribution wire format.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import {
  MEDIA_TYPES,
  RegistryClient,
  resolveImage,
  type RegistryClientOptions,
} from '../../src/registry/index.js';
import { readAll, sha256 } from './helpers.js';

function isCode(code: string) {
  return (e: unknown) => e instanceof BulwarkError && e.code === code;
}

interface Fake {
  host: string;
  hits: { method: string; url: string; authorization?: string }[];
}

const servers: http.Server[] = [];
const clients: RegistryClient[] = [];

async function fake(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void,
  hostname = '127.0.0.1',
): Promise<Fake> {
  const hits: Fake['hits'] = [];
  const server = http.createServer((req, res) => {
    hits.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res, hits.length);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { host: `${hostname}:${(server.address() as AddressInfo).port}`, hits };
}

function client(opts: RegistryClientOptions = {}): RegistryClient {
  const c = new RegistryClient({
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5, maxTotalWaitMs: 1000 },
    ...opts,
  });
  clients.push(c);
  return c;
}

const manifestBody = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: { mediaType: MEDIA_TYPES.ociConfig, digest: sha256(Buffer.from('{}')), size: 2 },
    layers: [],
  }),
);
const manifestDigest = sha256(manifestBody);

function sendManifest(res: http.ServerResponse, body = manifestBody, headers: Record<string, string> = {}) {
  res.writeHead(200, {
    'content-type': MEDIA_TYPES.ociManifest,
    'content-length': String(body.length),
    ...headers,
  });
  res.end(body);
}

after(async () => {
  for (const c of clients) c.close();
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('retries', () => {
  test('429 with Retry-After: 0 is retried and then succeeds', async () => {
    const f = await fake((_req, res, n) =>
      n === 1 ? res.writeHead(429, { 'retry-after': '0' }).end() : sendManifest(res),
    );
    const m = await client().getManifest(`${f.host}/a/b`, 'v1');
    assert.equal(m.digest, manifestDigest);
    assert.equal(f.hits.length, 2);
  });

  test('a Retry-After beyond the wait budget gives up at once with REGISTRY_UNAVAILABLE', async () => {
    const f = await fake((_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    await assert.rejects(client().getManifest(`${f.host}/a/b`, 'v1'), isCode('REGISTRY_UNAVAILABLE'));
    assert.equal(f.hits.length, 1);
  });

  test('persistent 500 is retried `attempts` times, then REGISTRY_UNAVAILABLE', async () => {
    const f = await fake((_req, res) => res.writeHead(500).end('boom'));
    await assert.rejects(client().getManifest(`${f.host}/a/b`, 'v1'), isCode('REGISTRY_UNAVAILABLE'));
    assert.equal(f.hits.length, 4);
  });

  test('a dropped connection is retried; always dropping is REGISTRY_UNAVAILABLE', async () => {
    const flaky = await fake((req, res, n) => (n === 1 ? req.socket.destroy() : sendManifest(res)));
    assert.equal((await client().getManifest(`${flaky.host}/a/b`, 'v1')).digest, manifestDigest);
    const dead = await fake((req) => req.socket.destroy());
    await assert.rejects(client().getManifest(`${dead.host}/a/b`, 'v1'), isCode('REGISTRY_UNAVAILABLE'));
    assert.equal(dead.hits.length, 4);
  });
});

describe('redirects', () => {
  test('a redirect loop is REGISTRY_UNAVAILABLE naming the URL', async () => {
    const f = await fake((req, res) =>
      res.writeHead(302, { location: req.url?.startsWith('/loop-a') ? '/loop-b' : '/loop-a' }).end(),
    );
    await assert.rejects(
      client().getManifest(`${f.host}/a/b`, 'v1'),
      (e: unknown) => isCode('REGISTRY_UNAVAILABLE')(e) && /loop-a/.test((e as Error).message),
    );
  });

  test('more than maxRedirects hops is REGISTRY_UNAVAILABLE', async () => {
    const f = await fake((_req, res, n) => res.writeHead(307, { location: `/hop-${n}` }).end());
    await assert.rejects(
      client({ limits: { maxRedirects: 3 } }).getManifest(`${f.host}/a/b`, 'v1'),
      isCode('REGISTRY_UNAVAILABLE'),
    );
    assert.equal(f.hits.length, 4);
  });

  test('Authorization is sent to the registry but dropped when a blob redirect leaves its host', async () => {
    const blob = Buffer.from('layer bytes from blob storage');
    const digest = sha256(blob);
    const storage = await fake(
      (_req, res) => res.writeHead(200, { 'content-length': String(blob.length) }).end(blob),
      'localhost',
    );
    const registry = await fake((req, res) => {
      if (req.headers.authorization !== `Basic ${Buffer.from('u:p').toString('base64')}`) {
        return void res.writeHead(401, { 'www-authenticate': 'Basic realm="fake"' }).end();
      }
      res.writeHead(307, { location: `http://${storage.host}/bucket/${digest}?sig=abc` }).end();
    });
    const os = await import('node:os');
    const fs = await import('node:fs/promises');
    const path = await import('node:path');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bulwark-redirect-'));
    try {
      const cfg = path.join(dir, 'config.json');
      await fs.writeFile(
        cfg,
        JSON.stringify({ auths: { [registry.host]: { username: 'u', password: 'p' } } }),
      );
      const c = client({ dockerConfigPath: cfg });
      const bytes = await readAll(await c.openBlob(`${registry.host}/a/b`, { digest, size: blob.length }));
      assert.deepEqual(bytes, blob);
      assert.equal(registry.hits.at(-1)?.authorization?.startsWith('Basic '), true);
      assert.equal(storage.hits.length, 1);
      assert.equal(storage.hits[0]!.authorization, undefined);
      assert.equal(storage.hits[0]!.url, `/bucket/${digest}?sig=abc`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('bad content', () => {
  test('a manifest larger than maxManifestBytes is LIMIT_EXCEEDED, declared or streamed', async () => {
    const big = Buffer.alloc(64 * 1024, 0x20);
    const declared = await fake((_req, res) => sendManifest(res, big));
    await assert.rejects(
      client({ limits: { maxManifestBytes: 1024 } }).getManifest(`${declared.host}/a/b`, 'v1'),
      isCode('LIMIT_EXCEEDED'),
    );
    const chunked = await fake((_req, res) => {
      res.writeHead(200, { 'content-type': MEDIA_TYPES.ociManifest });
      for (let i = 0; i < 64; i++) res.write(Buffer.alloc(1024, 0x20));
      res.end();
    });
    await assert.rejects(
      client({ limits: { maxManifestBytes: 1024 } }).getManifest(`${chunked.host}/a/b`, 'v1'),
      isCode('LIMIT_EXCEEDED'),
    );
  });

  test('wrong digests: by-digest fetch, Docker-Content-Digest header, config blob, streamed layer', async () => {
    const other = sha256(Buffer.from('something else'));
    const f = await fake((req, res) => {
      if (req.url?.includes('/manifests/v1'))
        return sendManifest(res, manifestBody, { 'docker-content-digest': other });
      if (req.url?.includes('/manifests/')) return sendManifest(res);
      // every blob answers with the wrong bytes of the right length
      const len = req.url?.endsWith(other) ? 14 : 2;
      res.writeHead(200, { 'content-length': String(len) }).end(Buffer.alloc(len, 0x41));
    });
    const c = client();
    await assert.rejects(c.getManifest(`${f.host}/a/b`, other), isCode('DIGEST_MISMATCH'));
    await assert.rejects(c.getManifest(`${f.host}/a/b`, 'v1'), isCode('DIGEST_MISMATCH'));
    await assert.rejects(resolveImage(c, `${f.host}/a/b@${manifestDigest}`), isCode('DIGEST_MISMATCH'));
    const stream = await c.openBlob(`${f.host}/a/b`, { digest: other, size: 14 });
    await assert.rejects(readAll(stream), isCode('DIGEST_MISMATCH'));
  });

  test('a blob growing past its declared size fails with LIMIT_EXCEEDED while streaming', async () => {
    const f = await fake((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(4096, 1));
    });
    const stream = await client().openBlob(`${f.host}/a/b`, { digest: sha256(Buffer.alloc(10)), size: 10 });
    await assert.rejects(readAll(stream), isCode('LIMIT_EXCEEDED'));
  });

  test('schema1 manifests are UNSUPPORTED', async () => {
    const body = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'a/b', tag: 'v1', fsLayers: [] }));
    const f = await fake((_req, res) =>
      sendManifest(res, body, { 'content-type': MEDIA_TYPES.dockerSchema1Signed }),
    );
    await assert.rejects(resolveImage(client(), `${f.host}/a/b:v1`), isCode('UNSUPPORTED'));
  });

  test('a bearer challenge whose token service returns no token is REGISTRY_AUTH', async () => {
    const tokens = await fake((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"nothing":1}'),
    );
    const f = await fake((_req, res) =>
      res
        .writeHead(401, { 'www-authenticate': `Bearer realm="http://${tokens.host}/token",service="fake"` })
        .end(),
    );
    await assert.rejects(client().getManifest(`${f.host}/a/b`, 'v1'), isCode('REGISTRY_AUTH'));
    assert.match(tokens.hits[0]!.url, /service=fake&scope=repository%3Aa%2Fb%3Apull/);
  });
});

describe('referrers API', () => {
  // distribution 2.8 has no referrers API (the real-registry test covers the tag fallback), so its
  // answer is served here in the OCI 1.1 wire format.
  test('uses the API answer when the registry has one, filtering by artifactType', async () => {
    const subject = sha256(Buffer.from('subject'));
    const sig = {
      mediaType: MEDIA_TYPES.ociManifest,
      digest: sha256(Buffer.from('sig')),
      size: 3,
      artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
    };
    const sbom = {
      mediaType: MEDIA_TYPES.ociManifest,
      digest: sha256(Buffer.from('sbom')),
      size: 4,
      artifactType: 'application/spdx+json',
    };
    const f = await fake((req, res) => {
      if (req.url?.startsWith(`/v2/a/b/referrers/${subject}`)) {
        res.writeHead(200, { 'content-type': MEDIA_TYPES.ociIndex });
        return void res.end(
          JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: [sig, sbom] }),
        );
      }
      res.writeHead(404).end();
    });
    const c = client();
    assert.deepEqual(
      (await c.referrers(`${f.host}/a/b`, subject)).map((d) => d.digest),
      [sig.digest, sbom.digest],
    );
    assert.deepEqual(
      (await c.referrers(`${f.host}/a/b`, subject, { artifactType: 'application/spdx+json' })).map(
        (d) => d.digest,
      ),
      [sbom.digest],
    );
    assert.ok(f.hits.every((h) => !h.url.includes('sha256-')));
  });
});

describe('network', () => {
  test('a registry that never answers times out with NETWORK', async () => {
    const f = await fake(() => {});
    await assert.rejects(
      client({ limits: { httpTimeoutMs: 200 } }).getManifest(`${f.host}/a/b`, 'v1'),
      isCode('NETWORK'),
    );
  });

  test('connection refused is NETWORK', async () => {
    const f = await fake(() => {});
    const s = servers.pop()!;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
    await assert.rejects(client().getManifest(`${f.host}/a/b`, 'v1'), isCode('NETWORK'));
  });

  test('HTTPS for remote registries; plain HTTP only for loopback or insecure ones without TLS', async () => {
    const c = client();
    assert.equal((await c.baseUrl('registry.example.com')).protocol, 'https:');
    assert.equal((await c.baseUrl('10.0.0.5:5000')).protocol, 'https:');
    assert.equal(c.isInsecureRegistry('10.0.0.5:5000'), false);
    for (const h of ['127.0.0.1:5000', 'localhost:5000', '[::1]:5000', '127.1.2.3'])
      assert.equal(c.isInsecureRegistry(h), true, h);
    assert.equal(client({ insecure: true }).isInsecureRegistry('10.0.0.5:5000'), true);
    // A loopback registry that speaks plain HTTP: the TLS probe fails and HTTP is used.
    const f = await fake((_req, res) => sendManifest(res));
    assert.equal((await c.baseUrl(f.host)).protocol, 'http:');
  });
});
