// Writes an rpm NDB `Packages.db` from header blobs, following the layout of rpm's
// lib/backend/ndb/rpmpkg.c. Debian's rpm is built without NDB, so this writer is what the NDB
// reader is verified against.
import { adler32 } from '../../../src/inventory/rpmdb/ndb.js';

const PAGE = 4096;
const BLK = 16;

export interface NdbWriteOptions {
  /** slot pages (rpm starts with 1 and adds pages as slots run out) */
  slotPages?: number;
}

export function writeNdb(blobs: Buffer[], opts: NdbWriteOptions = {}): Buffer {
  const slotPages = opts.slotPages ?? Math.max(1, Math.ceil((blobs.length + 2) / (PAGE / 16)));
  const parts: Buffer[] = [];
  const slotArea = Buffer.alloc(slotPages * PAGE);
  slotArea.write('RpmP', 0, 'latin1');
  slotArea.writeUInt32LE(0, 4);
  slotArea.writeUInt32LE(blobs.length + 1, 8);
  slotArea.writeUInt32LE(slotPages, 12);
  slotArea.writeUInt32LE(blobs.length + 1, 16);
  for (let off = 32; off < slotArea.length; off += 16) slotArea.write('Slot', off, 'latin1');
  let blkoff = slotPages * (PAGE / BLK);
  blobs.forEach((blob, i) => {
    const pkgidx = i + 1;
    const blkcnt = Math.ceil((16 + blob.length + 12) / BLK);
    const rec = Buffer.alloc(blkcnt * BLK);
    rec.write('BlbS', 0, 'latin1');
    rec.writeUInt32LE(pkgidx, 4);
    rec.writeUInt32LE(1_700_000_000, 8);
    rec.writeUInt32LE(blob.length, 12);
    blob.copy(rec, 16);
    const tail = rec.length - 12;
    rec.writeUInt32LE(adler32(rec.subarray(0, tail)), tail);
    rec.writeUInt32LE(blob.length, tail + 4);
    rec.write('BlbE', tail + 8, 'latin1');
    const slot = 32 + i * 16;
    slotArea.writeUInt32LE(pkgidx, slot + 4);
    slotArea.writeUInt32LE(blkoff, slot + 8);
    slotArea.writeUInt32LE(blkcnt, slot + 12);
    parts.push(rec);
    blkoff += blkcnt;
  });
  return Buffer.concat([slotArea, ...parts]);
}
