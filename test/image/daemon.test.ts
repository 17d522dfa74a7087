import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  inspectDaemonImage,
  openDaemonImage,
  openSource,
  parseDockerHost,
  scanImageInventory,
} from '../../src/image/index.js';
import {
  buildLayer,
  pkgJson,
  testAnalyzers,
  testOsEcosystem,
  tmpDir,
  writeDockerArchive,
} from './helpers.js';

/**
 * A stand-in for the Docker Engine API (none can run here) speaking its real wire format for the
 * two endpoints bulwark uses: image inspect and image export.
 */
let dir: string;
let archive: string;
let socketPath: string;
let server: http.Server;
let tcp: http.Server;
let tcpHost: string;
const hanging: http.ServerResponse[] = [];

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  const m = /^\/(?:v[0-9.]+\/)?images\/([^/]+)\/(json|get)$/.exec(req.url ?? '');
  const name = m ? decodeURIComponent(m[1]!) : '';
  if (req.method !== 'GET' || !m) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"page not found"}');
    return;
  }
  if (name === 'hang:1') {
    hanging.push(res);
    return;
  }
  if (name !== 'app:1' && name !== 'broken:1') {
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ message: `No such image: ${name}` }));
    return;
  }
  if (m[2] === 'json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        Id: 'sha256:abc',
        RepoTags: [name],
        RepoDigests: [`app@sha256:${'d'.repeat(64)}`],
        Os: 'linux',
      }),
    );
    return;
  }
  if (name === 'broken:1') {
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"export failed"}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/x-tar' });
  createReadStream(archive).pipe(res);
}

before(async () => {
  dir = await tmpDir();
  archive = path.join(dir, 'export.tar');
  const l0 = await buildLayer([{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' }], 'none');
  const l1 = await buildLayer([{ name: 'srv/package.json', content: pkgJson('srv', '4.5.6') }], 'none');
  await writeDockerArchive(archive, [l0, l1], { layout: 'legacy', repoTags: ['app:1'] });
  socketPath = path.join(dir, 'docker.sock');
  server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(socketPath, r));
  tcp = http.createServer(handler);
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  tcpHost = `tcp://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
});
after(async () => {
  for (const r of hanging) r.destroy();
  server.closeAllConnections();
  tcp.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => tcp.close(r));
  await rm(dir, { recursive: true, force: true });
});

describe('Docker daemon source', () => {
  it('exports a local image into the cache dir, scans it, and removes the export on close', async () => {
    const cacheDir = path.join(dir, 'cache');
    const source = await openDaemonImage('app:1', { dockerHost: `unix://${socketPath}`, cacheDir });
    assert.ok(source);
    assert.equal((await readdir(path.join(cacheDir, 'tmp'))).length, 1);
    const inv = await scanImageInventory(source, { analyzers: testAnalyzers, osEcosystem: testOsEcosystem });
    await source.close();
    assert.deepEqual(await readdir(path.join(cacheDir, 'tmp')), []);
    assert.equal(inv.target.name, 'app:1');
    assert.deepEqual(inv.target.repoDigests, [`app@sha256:${'d'.repeat(64)}`]);
    assert.equal(inv.os?.ecosystem, 'Debian:12');
    assert.deepEqual(
      inv.packages.map((p) => [p.name, p.layer?.index]),
      [['srv', 1]],
    );
  });

  it('works over tcp:// too, and openSource prefers the daemon when it has the image', async () => {
    const cacheDir = path.join(dir, 'cache2');
    const source = await openSource({ ref: 'app:1', dockerHost: tcpHost, cacheDir });
    const inv = await scanImageInventory(source, { analyzers: testAnalyzers, osEcosystem: testOsEcosystem });
    await source.close();
    assert.equal(inv.packages.length, 1);
    assert.deepEqual(await readdir(path.join(cacheDir, 'tmp')), []);
  });

  it('reports an absent image or an unreachable daemon as undefined so the registry can be tried', async () => {
    const cacheDir = path.join(dir, 'cache3');
    assert.equal(
      await openDaemonImage('nothere:1', { dockerHost: `unix://${socketPath}`, cacheDir }),
      undefined,
    );
    assert.equal(
      await inspectDaemonImage('app:1', { dockerHost: `unix://${path.join(dir, 'none.sock')}`, cacheDir }),
      undefined,
    );
  });

  it('fails with DAEMON on a hanging daemon and on export errors, leaving no temp file', async () => {
    const cacheDir = path.join(dir, 'cache4');
    await assert.rejects(
      openDaemonImage('hang:1', { dockerHost: `unix://${socketPath}`, cacheDir, timeoutMs: 300 }),
      (e: Error & { code?: string; input?: string }) => e.code === 'DAEMON' && e.input === 'hang:1',
    );
    await assert.rejects(openDaemonImage('broken:1', { dockerHost: `unix://${socketPath}`, cacheDir }), {
      code: 'DAEMON',
    });
    assert.deepEqual(await readdir(path.join(cacheDir, 'tmp')), []);
  });

  it('parses DOCKER_HOST values', () => {
    assert.deepEqual(parseDockerHost(undefined), { socketPath: '/var/run/docker.sock' });
    assert.deepEqual(parseDockerHost('tcp://10.0.0.1:2376'), { host: '10.0.0.1', port: 2376 });
    assert.throws(() => parseDockerHost('npipe:////./pipe/docker_engine'), { code: 'UNSUPPORTED' });
  });
});
