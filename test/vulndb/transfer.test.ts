/** Export/import round trip through the one-file format, and rejection of tampered exports. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import tar from 'tar-stream';
import { BulwarkError } from '../../src/core/errors.js';
import {
  dbStatus,
  exportDb,
  importDb,
  openVulnDb,
  SCHEMA_VERSION,
  updateDb,
} from '../../src/vulndb/index.js';
import { makeMirror, removeDir, tempDir } from './helpers/fixtures.js';

function code(c: string) {
  return (e: unknown): boolean => {
    assert.ok(e instanceof BulwarkError, String(e));
    assert.equal(e.code, c, `${e.code}: ${e.message}`);
    return true;
  };
}

async function readTar(file: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const ex = tar.extract();
  ex.end(readFileSync(file));
  for await (const entry of ex) {
    const chunks: Buffer[] = [];
    for await (const c of entry as AsyncIterable<Buffer>) chunks.push(c);
    out.set(entry.header.name, Buffer.concat(chunks));
  }
  return out;
}

async function writeTar(file: string, entries: [string, Buffer][]): Promise<void> {
  const pack = tar.pack();
  for (const [name, body] of entries) pack.entry({ name }, body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  writeFileSync(file, Buffer.concat(chunks));
}

describe('db export / import', () => {
  let dir: string;
  let src: string;
  let exported: string;
  before(async () => {
    dir = tempDir('transfer');
    const mirror = makeMirror(path.join(dir, 'mirror'), ['Maven', 'npm']);
    src = path.join(dir, 'a', 'bulwark.db');
    await updateDb({ dbPath: src, mirror });
    exported = path.join(dir, 'out', 'db.bulwarkdb');
  });
  after(() => removeDir(dir));

  it('round-trips: same records, sources and build time on the other side', async () => {
    const res = await exportDb(src, exported);
    assert.equal(res.manifest.schemaVersion, SCHEMA_VERSION);
    const entries = await readTar(exported);
    assert.deepEqual([...entries.keys()], ['manifest.json', 'bulwark.db.gz']);
    assert.deepEqual(readdirSync(path.dirname(exported)), ['db.bulwarkdb']);

    const dest = path.join(dir, 'b', 'bulwark.db');
    const imp = await importDb(exported, dest);
    assert.equal(imp.manifest.database.sha256, res.manifest.database.sha256);
    const a = dbStatus(src);
    const b = dbStatus(dest);
    assert.equal(b.builtAt, a.builtAt);
    assert.deepEqual(b.counts, a.counts);
    assert.deepEqual(b.sources, a.sources);
    const db = openVulnDb(dest);
    try {
      assert.equal(db.kev(['GHSA-jfh8-c2jp-5v3q'])?.cveID, 'CVE-2021-44228');
    } finally {
      db.close();
    }
    assert.deepEqual(readdirSync(path.dirname(dest)), ['bulwark.db']);
  });

  it('rejects a database swapped under the manifest (DIGEST_MISMATCH) and keeps the target', async () => {
    const entries = await readTar(exported);
    const raw = gunzipSync(entries.get('bulwark.db.gz')!);
    const work = path.join(dir, 'tamper.db');
    writeFileSync(work, raw);
    const db = new Database(work);
    db.prepare(
      "UPDATE records SET json = replace(json, 'lodash', 'lodahs') WHERE id = 'GHSA-35jh-r3h4-6jhm'",
    ).run();
    db.close();
    const forged = path.join(dir, 'forged.bulwarkdb');
    await writeTar(forged, [
      ['manifest.json', entries.get('manifest.json')!],
      ['bulwark.db.gz', gzipSync(readFileSync(work))],
    ]);
    const dest = path.join(dir, 'c', 'bulwark.db');
    await importDb(exported, dest);
    const before = dbStatus(dest);
    await assert.rejects(importDb(forged, dest), code('DIGEST_MISMATCH'));
    assert.deepEqual(dbStatus(dest).counts, before.counts);
    assert.deepEqual(readdirSync(path.dirname(dest)), ['bulwark.db']);
  });

  it('rejects a flipped byte, a foreign tar, a newer schema and a missing file', async () => {
    const bytes = readFileSync(exported);
    const flipped = Buffer.from(bytes);
    const at = bytes.length - 4096;
    flipped[at] = flipped[at]! ^ 0xff;
    const f1 = path.join(dir, 'flipped.bulwarkdb');
    writeFileSync(f1, flipped);
    const dest = path.join(dir, 'd', 'bulwark.db');
    await assert.rejects(importDb(f1, dest), (e: unknown) => {
      assert.ok(e instanceof BulwarkError);
      assert.ok(['MALFORMED_INPUT', 'DIGEST_MISMATCH'].includes(e.code), e.code);
      return true;
    });

    const entries = await readTar(exported);
    const f2 = path.join(dir, 'foreign.tar');
    await writeTar(f2, [['etc/passwd', Buffer.from('root:x:0:0\n')]]);
    await assert.rejects(importDb(f2, dest), code('MALFORMED_INPUT'));

    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    manifest.schemaVersion = 99;
    const f3 = path.join(dir, 'newer.bulwarkdb');
    await writeTar(f3, [
      ['manifest.json', Buffer.from(JSON.stringify(manifest))],
      ['bulwark.db.gz', entries.get('bulwark.db.gz')!],
    ]);
    await assert.rejects(importDb(f3, dest), code('DATABASE'));
    await assert.rejects(importDb(path.join(dir, 'absent.bulwarkdb'), dest), code('INPUT_NOT_FOUND'));
    // Nothing was ever written at the target.
    assert.deepEqual(readdirSync(path.dirname(dest)), []);
  });

  it('rejects a gzip that is a valid SQLite file failing integrity_check', async () => {
    const entries = await readTar(exported);
    const raw = Buffer.from(gunzipSync(entries.get('bulwark.db.gz')!));
    // Corrupt the header of a b-tree page mid-file, then describe the result honestly in the manifest.
    const page = Math.floor(raw.length / 4096 / 2) * 4096;
    raw.fill(0xaa, page, page + 8);
    const { createHash } = await import('node:crypto');
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    manifest.database.sha256 = createHash('sha256').update(raw).digest('hex');
    const f = path.join(dir, 'broken.bulwarkdb');
    await writeTar(f, [
      ['manifest.json', Buffer.from(JSON.stringify(manifest))],
      ['bulwark.db.gz', gzipSync(raw)],
    ]);
    await assert.rejects(importDb(f, path.join(dir, 'e', 'bulwark.db')), code('DATABASE'));
  });
});
