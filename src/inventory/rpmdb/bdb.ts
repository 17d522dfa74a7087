import { Budget, DEFAULT_RPMDB_LIMITS, RpmDbFormatError } from './common.js';
import type { RpmDbLimits } from './common.js';

const HASH_MAGIC = 0x00061561;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;

/**
 * Header blobs from a BerkeleyDB hash `Packages` file (rpm < 4.16 and RHEL/CentOS 7/8 images).
 * Read without libdb: every hash page in file order, each key/value pair, values stored inline
 * (H_KEYDATA) or in chains of overflow pages (H_OFFPAGE). Keys are rpm header numbers; key 0 is
 * rpm's instance counter, not a package. Chains are bounded by the file's page count and by the
 * length the item declares, so a page loop ends with an error instead of running forever.
 */
export function readBdbBlobs(content: Buffer, limits: RpmDbLimits = DEFAULT_RPMDB_LIMITS): Buffer[] {
  const budget = new Budget(limits);
  if (content.length < 512) throw new RpmDbFormatError('BerkeleyDB file shorter than its metadata page');
  let le: boolean;
  if (content.readUInt32LE(12) === HASH_MAGIC) le = true;
  else if (content.readUInt32BE(12) === HASH_MAGIC) le = false;
  else throw new RpmDbFormatError('not a BerkeleyDB hash database');
  const u32 = (b: Buffer, o: number): number => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const u16 = (b: Buffer, o: number): number => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const version = u32(content, 16);
  if (version < 8 || version > 10) throw new RpmDbFormatError(`unsupported hash version ${version}`);
  if (content[25] !== P_HASHMETA) throw new RpmDbFormatError('page 0 is not a hash metadata page');
  if (content[24] !== 0) throw new RpmDbFormatError('encrypted BerkeleyDB databases are not supported');
  const pageSize = u32(content, 20);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    throw new RpmDbFormatError(`bad page size ${pageSize}`);
  }
  const pages = Math.min(Math.floor(content.length / pageSize), u32(content, 32) + 1);

  const page = (n: number): Buffer => content.subarray(n * pageSize, (n + 1) * pageSize);

  const overflow = (first: number, length: number): Buffer => {
    if (length === 0 || length > content.length) throw new RpmDbFormatError(`bad overflow length ${length}`);
    const out = Buffer.allocUnsafe(length);
    let filled = 0;
    let n = first;
    let hops = 0;
    while (filled < length) {
      // each page adds at least one byte, so more hops than pages means a loop
      if (n <= 0 || n >= pages || ++hops > pages)
        throw new RpmDbFormatError(`bad overflow chain at page ${n}`);
      const p = page(n);
      if (p[25] !== P_OVERFLOW) throw new RpmDbFormatError(`page ${n} is not an overflow page`);
      const used = u16(p, 22);
      if (used === 0 || PAGE_HEADER + used > pageSize || filled + used > length) {
        throw new RpmDbFormatError(`overflow page ${n} holds ${used} bytes`);
      }
      p.copy(out, filled, PAGE_HEADER, PAGE_HEADER + used);
      filled += used;
      n = u32(p, 16);
    }
    return out;
  };

  const item = (p: Buffer, off: number, len: number): Buffer => {
    if (len <= 0 || off + len > pageSize) throw new RpmDbFormatError('hash item outside its page');
    if (p[off] === H_KEYDATA) return p.subarray(off + 1, off + len);
    if (p[off] === H_OFFPAGE) {
      if (len !== 12) throw new RpmDbFormatError('bad off-page item');
      return overflow(u32(p, off + 4), u32(p, off + 8));
    }
    throw new RpmDbFormatError(`unsupported hash item type ${p[off]}`);
  };

  const seen = new Set<number>();
  const blobs: Buffer[] = [];
  for (let n = 1; n < pages; n++) {
    const p = page(n);
    const type = p[25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    if (u32(p, 8) !== n) continue; // never-written (all-zero) pages and stale copies
    const entries = u16(p, 20);
    if (PAGE_HEADER + entries * 2 > pageSize)
      throw new RpmDbFormatError(`page ${n} claims ${entries} entries`);
    for (let i = 0; i + 1 < entries; i += 2) {
      const koff = u16(p, PAGE_HEADER + i * 2);
      const voff = u16(p, PAGE_HEADER + (i + 1) * 2);
      // items are packed downwards from the page end: key i ends where item i-1 starts
      const kend = i === 0 ? pageSize : u16(p, PAGE_HEADER + (i - 1) * 2);
      if (koff >= pageSize || voff >= koff || kend <= koff || kend > pageSize) {
        throw new RpmDbFormatError(`page ${n} has inconsistent item offsets`);
      }
      const key = item(p, koff, kend - koff);
      if (key.length !== 4) continue;
      const hnum = le ? key.readUInt32LE(0) : key.readUInt32BE(0);
      if (hnum === 0 || seen.has(hnum)) continue;
      seen.add(hnum);
      const raw = item(p, voff, koff - voff);
      // inline values are views into the file: copy them so the result does not pin it
      const value = raw.buffer === content.buffer ? Buffer.from(raw) : raw;
      budget.take(value.length);
      blobs.push(value);
    }
  }
  return blobs;
}
