/** The fetcher on its own: validators, local files, timeouts, temp files only in the given directory. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { BulwarkError } from '../../src/core/errors.js';
import { fetchFeed, FeedMissingError } from '../../src/vulndb/index.js';
import { removeDir, tempDir } from './helpers/fixtures.js';
import { startMirrorServer, type MirrorServer } from './helpers/mirror-server.js';

describe('fetchFeed', () => {
  let dir: string;
  let dest: string;
  let server: MirrorServer;
  before(async () => {
    dir = tempDir('fetch');
    writeFileSync(path.join(dir, 'feed.json'), '{"hello":"world"}');
    dest = tempDir('fetch-dest');
    server = await startMirrorServer(dir);
  });
  after(async () => {
    await server.close();
    removeDir(dir);
    removeDir(dest);
  });

  it('downloads into the given directory and answers not-modified to its own validators', async () => {
    const first = await fetchFeed(`${server.url}feed.json`, { destDir: dest });
    assert.equal(first.status, 'fetched');
    if (first.status !== 'fetched') return;
    assert.equal(path.dirname(first.file), dest);
    assert.equal(readFileSync(first.file, 'utf8'), '{"hello":"world"}');
    assert.ok(first.etag && first.lastModified);
    const again = await fetchFeed(`${server.url}feed.json`, { destDir: dest, etag: first.etag });
    assert.equal(again.status, 'not-modified');
    const byDate = await fetchFeed(`${server.url}feed.json`, {
      destDir: dest,
      lastModified: first.lastModified,
    });
    assert.equal(byDate.status, 'not-modified');
    assert.deepEqual(readdirSync(dest), [path.basename(first.file)]);
  });

  it('reads file:// URLs and plain paths in place, with size+mtime as the validator', async () => {
    const url = pathToFileURL(path.join(dir, 'feed.json')).href;
    const a = await fetchFeed(url, { destDir: dest });
    const b = await fetchFeed(path.join(dir, 'feed.json'), { destDir: dest });
    assert.equal(a.status, 'fetched');
    assert.equal(b.status, 'fetched');
    if (a.status !== 'fetched' || b.status !== 'fetched') return;
    assert.equal(a.temporary, false);
    assert.equal(a.etag, b.etag);
    assert.equal((await fetchFeed(url, { destDir: dest, etag: a.etag })).status, 'not-modified');
    await assert.rejects(fetchFeed(path.join(dir, 'absent'), { destDir: dest }), FeedMissingError);
  });

  it('a server that never answers times out as NETWORK, leaving no temp file', async () => {
    server.override('/slow', () => {
      // never answers
    });
    const before = readdirSync(dest).length;
    await assert.rejects(
      fetchFeed(`${server.url}slow`, { destDir: dest, timeoutMs: 200, retries: 0 }),
      (e: unknown) => {
        assert.ok(e instanceof BulwarkError);
        assert.equal(e.code, 'NETWORK');
        assert.equal(e.input, `${server.url}slow`);
        return true;
      },
    );
    assert.equal(readdirSync(dest).length, before);
  });

  it('a 403 is a FEED error naming the URL; redirects to other schemes are refused', async () => {
    server.override('/forbidden', (_q, r) => r.writeHead(403).end());
    server.override('/to-file', (_q, r) => r.writeHead(302, { location: 'file:///etc/passwd' }).end());
    for (const p of ['forbidden', 'to-file'])
      await assert.rejects(fetchFeed(`${server.url}${p}`, { destDir: dest }), (e: unknown) => {
        assert.ok(e instanceof BulwarkError);
        assert.equal(e.code, 'FEED');
        assert.equal(e.input, `${server.url}${p}`);
        return true;
      });
  });
});
