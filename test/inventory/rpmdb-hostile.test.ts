// Hostile rpm databases: every one must end in a warning naming the file, never a throw or a hang.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { rpmAnalyzer } from '../../src/inventory/analyzers/rpm.js';
import { bdbFile, hnumKey } from './helpers/bdb-builder.js';
import { writeNdb } from './helpers/ndb-writer.js';
import { basicHeader } from './helpers/rpm-header.js';

function analyze(path: string, content: Buffer, maxBytes = 1 << 26) {
  return rpmAnalyzer.analyze({ path, content, size: content.length, mode: 0o644 }, { maxBytes });
}

function sqliteWith(blobs: Buffer[]): Buffer {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  const ins = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
  for (const b of blobs) ins.run(b);
  const out = db.serialize();
  db.close();
  return out;
}

const badOffset = (() => {
  const b = basicHeader('broken');
  b.writeUInt32BE(0x7ffffff0, 16);
  return b;
})();

describe('hostile rpm databases', () => {
  it('skips gpg-pubkey and reports unreadable headers with a count', () => {
    const out = analyze(
      'var/lib/rpm/rpmdb.sqlite',
      sqliteWith([
        basicHeader('bash', '5.1.8', '6.el9'),
        basicHeader('gpg-pubkey', 'fd431d51', '4ae0493b'),
        badOffset,
        Buffer.from('junk'),
      ]),
    );
    assert.deepEqual(
      out.packages!.map((p) => p.name),
      ['bash'],
    );
    assert.equal(out.warnings!.length, 1);
    assert.equal(out.warnings![0]!.code, 'RPMDB_MALFORMED');
    assert.equal(out.warnings![0]!.input, 'var/lib/rpm/rpmdb.sqlite');
    assert.match(out.warnings![0]!.message, /^2 unreadable/);
  });

  it('turns files that are not databases into RPMDB_UNREADABLE warnings', () => {
    const noTable = (() => {
      const db = new Database(':memory:');
      db.exec('CREATE TABLE other (x)');
      const b = db.serialize();
      db.close();
      return b;
    })();
    const real = sqliteWith([basicHeader('a'), basicHeader('b')]);
    const cases: [string, Buffer][] = [
      ['var/lib/rpm/rpmdb.sqlite', Buffer.from('this is not sqlite at all, just text'.repeat(10))],
      ['var/lib/rpm/rpmdb.sqlite', noTable],
      ['var/lib/rpm/rpmdb.sqlite', real.subarray(0, 120)],
      ['var/lib/rpm/Packages', Buffer.alloc(0)],
      ['usr/lib/sysimage/rpm/Packages.db', Buffer.from('RpmP')],
      ['var/lib/rpm/Packages', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 251))],
    ];
    for (const [path, content] of cases) {
      const out = analyze(path, content);
      assert.equal(out.packages, undefined, path);
      assert.equal(out.warnings?.[0]?.code, 'RPMDB_UNREADABLE', path);
      assert.equal(out.warnings?.[0]?.input, path);
    }
  });

  it('reads inline BerkeleyDB values and stops on overflow loops and lying counts', () => {
    const small = basicHeader('tiny', '1', '1');
    const inline = analyze('var/lib/rpm/Packages', bdbFile([{ key: hnumKey(1), value: small }]));
    assert.deepEqual(
      inline.packages!.map((p) => p.name),
      ['tiny'],
    );

    // overflow page 2 points at itself and the item claims 100 kB
    const loop = bdbFile(
      [{ key: hnumKey(1), value: { pgno: 2, length: 100_000 } }],
      [{ pgno: 2, next: 2, data: Buffer.alloc(400, 1) }],
    );
    assert.equal(analyze('var/lib/rpm/Packages', loop).warnings?.[0]?.code, 'RPMDB_UNREADABLE');

    // overflow chain into the metadata page
    const toMeta = bdbFile(
      [{ key: hnumKey(1), value: { pgno: 2, length: 1000 } }],
      [{ pgno: 2, next: 0, data: Buffer.alloc(400, 1) }],
    );
    assert.equal(analyze('var/lib/rpm/Packages', toMeta).warnings?.[0]?.code, 'RPMDB_UNREADABLE');

    // every record shares one overflow chain: the byte budget stops the amplification
    const header = basicHeader('shared');
    const shared = bdbFile(
      Array.from({ length: 20 }, (_, i) => ({
        key: hnumKey(i + 1),
        value: { pgno: 2, length: header.length },
      })),
      [{ pgno: 2, next: 0, data: header }],
    );
    assert.equal(analyze('var/lib/rpm/Packages', shared).packages!.length, 20);
    const capped = analyze('var/lib/rpm/Packages', shared, header.length * 5);
    assert.equal(capped.warnings?.[0]?.code, 'RPMDB_UNREADABLE');
    assert.match(capped.warnings![0]!.message, /bytes of package headers/);

    const lying = bdbFile([{ key: hnumKey(1), value: small }]);
    lying.writeUInt16LE(60_000, 512 + 20);
    assert.equal(analyze('var/lib/rpm/Packages', lying).warnings?.[0]?.code, 'RPMDB_UNREADABLE');
  });

  it('keeps the good NDB blobs when one is corrupt or a slot points outside the file', () => {
    const file = writeNdb([basicHeader('one'), basicHeader('two'), basicHeader('three')]);
    const corrupt = Buffer.from(file);
    const second = corrupt.indexOf(Buffer.from('two\0'));
    corrupt[second] = 0x54; // 't' -> 'T': the Adler-32 no longer matches
    const out = analyze('var/lib/rpm/Packages.db', corrupt);
    assert.deepEqual(
      out.packages!.map((p) => p.name),
      ['one', 'three'],
    );
    assert.equal(out.warnings![0]!.code, 'RPMDB_MALFORMED');

    const outside = Buffer.from(file);
    outside.writeUInt32LE(0x00ffffff, 32 + 8); // first slot's blkoff
    const o = analyze('var/lib/rpm/Packages.db', outside);
    assert.deepEqual(
      o.packages!.map((p) => p.name),
      ['two', 'three'],
    );
    assert.match(o.warnings![0]!.message, /outside the file/);

    const truncated = analyze('var/lib/rpm/Packages.db', file.subarray(0, 4096 + 40));
    assert.ok((truncated.packages ?? []).length < 3);
    assert.ok(truncated.warnings?.length);
  });
});
