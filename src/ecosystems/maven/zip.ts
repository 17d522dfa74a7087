import { inflateRawSync } from 'node:zlib';
import type { ByteSource } from '../../core/byte-source.js';
import { BulwarkError } from '../../core/errors.js';

/**
 * A synchronous zip reader that inflates nothing it is not asked for: the central directory is
 * read once and entries one at a time. It reads through a ByteSource, so the same code walks a
 * Buffer (zero-copy views) or a file by offset (only the bytes asked for are in memory).
 * Analyzers are synchronous, so yauzl's callback API does not fit here.
 */
export { bufferSource, fileSource, type ByteSource } from '../../core/byte-source.js';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  /** offset of the local file header in the source (prepended launch scripts accounted for) */
  localOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const MAX_COMMENT = 0xffff;
/** ~100 bytes per entry: room for a million entries */
const MAX_CENTRAL_DIRECTORY = 128 * 1024 * 1024;

function malformed(message: string, input?: string): BulwarkError {
  return new BulwarkError('MALFORMED_INPUT', message, input === undefined ? {} : { input });
}

function limit(message: string, input?: string): BulwarkError {
  return new BulwarkError('LIMIT_EXCEEDED', message, input === undefined ? {} : { input });
}

function u64(buf: Buffer, o: number): number {
  const v = buf.readBigUInt64LE(o);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/** Parses the central directory. Throws MALFORMED_INPUT (not a zip, corrupt) or LIMIT_EXCEEDED. */
export function readZipDirectory(src: ByteSource, maxEntries: number, input?: string): ZipEntry[] {
  const tailStart = Math.max(0, src.length - 22 - MAX_COMMENT);
  const tail = src.read(tailStart, src.length - tailStart);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw malformed('not a zip archive (no end of central directory)', input);
  let count = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  let cdEnd = tailStart + at;
  if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && cdEnd >= 20) {
    const loc = src.read(cdEnd - 20, 20);
    if (loc.readUInt32LE(0) === ZIP64_LOCATOR) {
      const z = u64(loc, 8);
      const rec = z + 56 <= src.length ? src.read(z, 56) : undefined;
      if (!rec || rec.length < 56 || rec.readUInt32LE(0) !== ZIP64_EOCD) {
        throw malformed('bad zip64 end record', input);
      }
      count = u64(rec, 32);
      cdSize = u64(rec, 40);
      cdOffset = u64(rec, 48);
      cdEnd = z;
    }
  }
  if (count > maxEntries) throw limit(`zip has ${count} entries, more than ${maxEntries}`, input);
  if (cdSize > MAX_CENTRAL_DIRECTORY) throw limit(`central directory of ${cdSize} bytes`, input);
  // Executable jars carry a launch script before the zip: offsets are relative to the zip's start.
  const cdStart = cdEnd - cdSize;
  if (cdStart < 0) throw malformed('central directory larger than the file', input);
  const shift = cdStart - cdOffset;
  if (shift < 0) throw malformed('central directory offset beyond its end', input);
  const cd = src.read(cdStart, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CDH) {
      throw malformed(`central directory entry ${i} is corrupt`, input);
    }
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const nameEnd = p + 46 + nameLen;
    const extraEnd = nameEnd + extraLen;
    if (extraEnd + commentLen > cd.length) {
      throw malformed(`central directory entry ${i} overruns the directory`, input);
    }
    const name = cd.toString('utf8', p + 46, nameEnd);
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      for (let e = nameEnd; e + 4 <= extraEnd;) {
        const id = cd.readUInt16LE(e);
        const size = cd.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          const end = Math.min(q + size, extraEnd);
          if (uncompressedSize === 0xffffffff && q + 8 <= end) {
            uncompressedSize = u64(cd, q);
            q += 8;
          }
          if (compressedSize === 0xffffffff && q + 8 <= end) {
            compressedSize = u64(cd, q);
            q += 8;
          }
          if (localOffset === 0xffffffff && q + 8 <= end) localOffset = u64(cd, q);
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
  /** largest single entry held in memory (nested archives are held while walked) */
  maxEntry: number;
  /** largest uncompressed/compressed ratio accepted for entries above `ratioFloor` */
  maxRatio: number;
  ratioFloor: number;
}

/**
 * The bytes of one entry: a view for stored entries of in-memory sources, a copy otherwise
 * (inflated copies are charged to the budget). Throws LIMIT_EXCEEDED for bombs and budget
 * overruns, UNSUPPORTED for encryption and exotic methods, MALFORMED_INPUT otherwise.
 */
export function readZipEntry(
  src: ByteSource,
  entry: ZipEntry,
  budget: InflateBudget,
  input?: string,
): Buffer {
  const where = input === undefined ? {} : { input };
  if (entry.flags & 1) throw new BulwarkError('UNSUPPORTED', `${entry.name} is encrypted`, where);
  const lo = entry.localOffset;
  const lh = lo >= 0 ? src.read(lo, 30) : Buffer.alloc(0);
  if (lh.length < 30 || lh.readUInt32LE(0) !== LFH)
    throw malformed(`${entry.name}: local header missing`, input);
  const start = lo + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
  if (start + entry.compressedSize > src.length)
    throw malformed(`${entry.name}: data overruns the archive`, input);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize)
      throw malformed(`${entry.name}: stored sizes differ`, input);
    if (!src.inMemory && entry.compressedSize > budget.maxEntry) {
      throw limit(`${entry.name}: ${entry.compressedSize} bytes, more than ${budget.maxEntry}`, input);
    }
    return src.read(start, entry.compressedSize);
  }
  if (entry.method !== 8) {
    throw new BulwarkError('UNSUPPORTED', `${entry.name}: compression method ${entry.method}`, where);
  }
  const declared = entry.uncompressedSize;
  if (declared > entry.compressedSize * budget.maxRatio && declared > budget.ratioFloor) {
    throw limit(
      `${entry.name}: compression ratio above ${budget.maxRatio} (${entry.compressedSize} -> ${declared} bytes)`,
      input,
    );
  }
  if (declared > budget.maxEntry)
    throw limit(`${entry.name}: ${declared} bytes inflated, more than ${budget.maxEntry}`, input);
  if (declared > budget.remaining)
    throw limit(`${entry.name}: inflating ${declared} bytes exceeds the archive's budget`, input);
  let out: Buffer;
  try {
    // The declared size bounds the output: an entry that lies about it stops there.
    out = inflateRawSync(src.read(start, entry.compressedSize), { maxOutputLength: Math.max(declared, 1) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw limit(`${entry.name}: inflates beyond its declared ${declared} bytes`, input);
    }
    throw malformed(`${entry.name}: ${(e as Error).message}`, input);
  }
  if (out.length !== declared)
    throw malformed(`${entry.name}: inflated to ${out.length}, declared ${declared}`, input);
  budget.remaining -= out.length;
  return out;
}
