import { Budget, DEFAULT_RPMDB_LIMITS, RpmDbFormatError } from './common.js';
import type { RpmDbLimits } from './common.js';

/** Magic numbers of rpm's NDB backend (lib/backend/ndb/rpmpkg.c), little-endian ASCII. */
const PKGDB_MAGIC = 0x506d7052; // 'RpmP'
const SLOT_MAGIC = 0x746f6c53; // 'Slot'
const BLOBHEAD_MAGIC = 0x53626c42; // 'BlbS'
const BLOBTAIL_MAGIC = 0x45626c42; // 'BlbE'
const HEADER_SIZE = 32;
const SLOT_SIZE = 16;
const BLK_SIZE = 16;
const PAGE_SIZE = 4096;
const BLOBHEAD_SIZE = 16;
const BLOBTAIL_SIZE = 12;

export function adler32(data: Uint8Array, start = 1): number {
  let a = start & 0xffff;
  let b = (start >>> 16) & 0xffff;
  for (let i = 0; i < data.length;) {
    const end = Math.min(data.length, i + 5552);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Header blobs from an rpm NDB `Packages.db` (SUSE, rpm built with `--enable-ndb`): a 32-byte
 * header, `slotnpages` pages of 16-byte slots (pkgidx, blkoff, blkcnt), then blobs addressed in
 * 16-byte blocks, each framed by `BlbS` and `BlbE` with its length twice and an Adler-32 checksum.
 * A slot or blob that fails a check is skipped with a reason instead of failing the whole file.
 */
export function readNdbBlobs(
  content: Buffer,
  limits: RpmDbLimits = DEFAULT_RPMDB_LIMITS,
): { blobs: Buffer[]; problems: string[] } {
  const budget = new Budget(limits);
  if (content.length < HEADER_SIZE || content.readUInt32LE(0) !== PKGDB_MAGIC) {
    throw new RpmDbFormatError('not an rpm NDB package database');
  }
  const version = content.readUInt32LE(4);
  if (version !== 0) throw new RpmDbFormatError(`unsupported NDB version ${version}`);
  const slotPages = content.readUInt32LE(12);
  if (slotPages < 1 || slotPages * PAGE_SIZE > content.length) {
    throw new RpmDbFormatError(`bad slot page count ${slotPages}`);
  }
  const fileBlocks = Math.floor(content.length / BLK_SIZE);
  const firstDataBlock = slotPages * (PAGE_SIZE / BLK_SIZE);
  const problems: string[] = [];
  const slots: { pkgidx: number; blkoff: number; blkcnt: number }[] = [];
  for (let off = HEADER_SIZE; off < slotPages * PAGE_SIZE; off += SLOT_SIZE) {
    if (content.readUInt32LE(off) !== SLOT_MAGIC)
      throw new RpmDbFormatError(`bad slot magic at offset ${off}`);
    const blkoff = content.readUInt32LE(off + 8);
    if (blkoff === 0) continue;
    const pkgidx = content.readUInt32LE(off + 4);
    const blkcnt = content.readUInt32LE(off + 12);
    if (!pkgidx || !blkcnt || blkoff < firstDataBlock || blkoff + blkcnt > fileBlocks) {
      problems.push(`slot at offset ${off} points outside the file`);
      continue;
    }
    slots.push({ pkgidx, blkoff, blkcnt });
  }
  slots.sort((x, y) => x.pkgidx - y.pkgidx);
  const blobs: Buffer[] = [];
  for (const s of slots) {
    const start = s.blkoff * BLK_SIZE;
    const end = start + s.blkcnt * BLK_SIZE;
    const head = content.subarray(start, start + BLOBHEAD_SIZE);
    const len = head.readUInt32LE(12);
    if (
      head.readUInt32LE(0) !== BLOBHEAD_MAGIC ||
      head.readUInt32LE(4) !== s.pkgidx ||
      s.blkcnt !== Math.ceil((BLOBHEAD_SIZE + len + BLOBTAIL_SIZE) / BLK_SIZE)
    ) {
      problems.push(`package ${s.pkgidx}: bad blob header`);
      continue;
    }
    const tail = content.subarray(end - BLOBTAIL_SIZE, end);
    if (tail.readUInt32LE(8) !== BLOBTAIL_MAGIC || tail.readUInt32LE(4) !== len) {
      problems.push(`package ${s.pkgidx}: bad blob trailer`);
      continue;
    }
    if (tail.readUInt32LE(0) !== adler32(content.subarray(start, end - BLOBTAIL_SIZE))) {
      problems.push(`package ${s.pkgidx}: checksum mismatch`);
      continue;
    }
    budget.take(len);
    blobs.push(Buffer.from(content.subarray(start + BLOBHEAD_SIZE, start + BLOBHEAD_SIZE + len)));
  }
  return { blobs, problems };
}
