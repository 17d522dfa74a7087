import { inflateRawSync } from 'node:zlib';
import { BulwarkError } from '../../core/errors.js';

/**
 * A synchronous zip reader over a Buffer that inflates nothing it is not asked for: the central
 * directory is parsed in place and entries are read one at a time (stored entries as zero-copy
 * views). Analyzers are synchronous, so yauzl's callback API does not fit here.
 */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  /** offset of the local file header in the buffer (prepended launch scripts accounted for) */
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const MAX_COMMENT = 0xffff;

function malformed(message: string, input?: string): BulwarkError {
  return new BulwarkError('MALFORMED_INPUT', message, input === undefined ? {} : { input });
}

function u64(buf: Buffer, o: number): number {
  const v = buf.readBigUInt64LE(o);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - MAX_COMMENT);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}

/** Parses the central directory. Throws MALFORMED_INPUT (not a zip, corrupt) or LIMIT_EXCEEDED. */
export function readZipDirectory(buf: Buffer, maxEntries: number, input?: string): ZipEntry[] {
  const eocd = findEocd(buf);
  if (eocd < 0) throw malformed('not a zip archive (no end of central directory)', input);
  let count = buf.readUInt16LE(eocd + 10);
  let cdSize = buf.readUInt32LE(eocd + 12);
  let cdOffset = buf.readUInt32LE(eocd + 16);
  let cdEnd = eocd;
  if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && eocd >= 20) {
    const loc = eocd - 20;
    if (buf.readUInt32LE(loc) === ZIP64_LOCATOR) {
      const z = u64(buf, loc + 8);
      if (z + 56 > buf.length || buf.readUInt32LE(z) !== ZIP64_EOCD)
        throw malformed('bad zip64 end record', input);
      count = u64(buf, z + 32);
      cdSize = u64(buf, z + 40);
      cdOffset = u64(buf, z + 48);
      cdEnd = z;
    }
  }
  if (count > maxEntries) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `zip has ${count} entries, more than ${maxEntries}`,
      input === undefined ? {} : { input },
    );
  }
  // Executable jars carry a launch script before the zip: offsets are relative to the zip's start.
  const cdStart = cdEnd - cdSize;
  if (cdStart < 0) throw malformed('central directory larger than the file', input);
  const shift = cdStart - cdOffset;
  if (shift < 0) throw malformed('central directory offset beyond its end', input);
  const entries: ZipEntry[] = [];
  let p = cdStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdEnd || buf.readUInt32LE(p) !== CDH)
      throw malformed(`central directory entry ${i} is corrupt`, input);
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    const nameEnd = p + 46 + nameLen;
    const extraEnd = nameEnd + extraLen;
    if (extraEnd + commentLen > cdEnd)
      throw malformed(`central directory entry ${i} overruns the directory`, input);
    const name = buf.toString('utf8', p + 46, nameEnd);
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      for (let e = nameEnd; e + 4 <= extraEnd;) {
        const id = buf.readUInt16LE(e);
        const size = buf.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          const end = Math.min(q + size, extraEnd);
          if (uncompressedSize === 0xffffffff && q + 8 <= end) {
            uncompressedSize = u64(buf, q);
            q += 8;
          }
          if (compressedSize === 0xffffffff && q + 8 <= end) {
            compressedSize = u64(buf, q);
            q += 8;
          }
          if (localOffset === 0xffffffff && q + 8 <= end) localOffset = u64(buf, q);
          break;
        }
        e += 4 + size;
      }
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localOffset: localOffset + shift });
    p = extraEnd + commentLen;
  }
  return entries;
}

export interface InflateBudget {
  /** bytes still allowed to be inflated for the whole archive tree (a time bound) */
  remaining: number;
  /** largest single inflated entry (a memory bound: nested archives are held while walked) */
  maxEntry: number;
  /** largest uncompressed/compressed ratio accepted for entries above `ratioFloor` */
  maxRatio: number;
  ratioFloor: number;
}

/**
 * The bytes of one entry: a view for stored entries, an inflated copy (charged to the budget) for
 * deflated ones. Throws LIMIT_EXCEEDED for bombs and budget overruns, MALFORMED_INPUT otherwise.
 */
export function readZipEntry(buf: Buffer, entry: ZipEntry, budget: InflateBudget, input?: string): Buffer {
  const where = input === undefined ? {} : { input };
  if (entry.flags & 1) throw new BulwarkError('UNSUPPORTED', `${entry.name} is encrypted`, where);
  const lo = entry.localOffset;
  if (lo < 0 || lo + 30 > buf.length || buf.readUInt32LE(lo) !== LFH) {
    throw malformed(`${entry.name}: local header missing`, input);
  }
  const start = lo + 30 + buf.readUInt16LE(lo + 26) + buf.readUInt16LE(lo + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw malformed(`${entry.name}: data overruns the archive`, input);
  const raw = buf.subarray(start, end);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize)
      throw malformed(`${entry.name}: stored sizes differ`, input);
    return raw;
  }
  if (entry.method !== 8)
    throw new BulwarkError('UNSUPPORTED', `${entry.name}: compression method ${entry.method}`, where);
  const declared = entry.uncompressedSize;
  if (declared > entry.compressedSize * budget.maxRatio && declared > budget.ratioFloor) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `${entry.name}: compression ratio above ${budget.maxRatio} (${entry.compressedSize} -> ${declared} bytes)`,
      where,
    );
  }
  if (declared > budget.maxEntry) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `${entry.name}: ${declared} bytes inflated, more than ${budget.maxEntry}`,
      where,
    );
  }
  if (declared > budget.remaining) {
    throw new BulwarkError(
      'LIMIT_EXCEEDED',
      `${entry.name}: inflating ${declared} bytes exceeds the archive's budget`,
      where,
    );
  }
  let out: Buffer;
  try {
    // The declared size bounds the output: an entry that lies about it stops there.
    out = inflateRawSync(raw, { maxOutputLength: Math.max(declared, 1) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BulwarkError(
        'LIMIT_EXCEEDED',
        `${entry.name}: inflates beyond its declared ${declared} bytes`,
        where,
      );
    }
    throw malformed(`${entry.name}: ${(e as Error).message}`, input);
  }
  if (out.length !== declared)
    throw malformed(`${entry.name}: inflated to ${out.length}, declared ${declared}`, input);
  budget.remaining -= out.length;
  return out;
}
