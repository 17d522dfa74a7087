import type { ByteSource } from '../../core/byte-source.js';
import { BulwarkError } from '../../core/errors.js';
import { elfAddrToOffset, isElf, readElf, toSource, type ElfFile } from './elf.js';

/** The raw build information a Go linker embeds: toolchain version and the modinfo text. */
export interface GoBuildInfoBlob {
  goVersion: string;
  modinfo: string;
}

const MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER = 32;
/** Go limits neither string, but real modinfo is kilobytes; anything larger is a lie. */
const MAX_STRING = 16 * 1024 * 1024;
/** The same magic appears as a constant inside tools that read build info (the go command). */
const MAX_CANDIDATES = 16;
/** the magic is searched in windows of this size when the file is read by offset */
const SEARCH_WINDOW = 4 * 1024 * 1024;

/** True when the file starts like an executable Go can produce (ELF, Mach-O, PE). */
export function isExecutableImage(input: Buffer | ByteSource): boolean {
  if (input.length < 64) return false;
  const buf = Buffer.isBuffer(input) ? input : input.read(0, 64);
  if (isElf(buf)) return true;
  const m = buf.readUInt32BE(0);
  // Mach-O 32/64 in either byte order, and fat binaries
  if (m === 0xfeedface || m === 0xfeedfacf || m === 0xcefaedfe || m === 0xcffaedfe || m === 0xcafebabe) {
    return true;
  }
  return buf[0] === 0x4d && buf[1] === 0x5a; // PE "MZ"
}

function malformed(message: string): BulwarkError {
  return new BulwarkError('MALFORMED_INPUT', message);
}

function readUvarint(src: ByteSource, pos: number): [value: number, next: number] {
  const buf = src.read(pos, 10);
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (i >= buf.length) throw malformed('truncated build info length');
    const b = buf[i]!;
    value += (b & 0x7f) * mul;
    if (value > Number.MAX_SAFE_INTEGER) throw malformed('build info length overflows');
    if (b < 0x80) return [value, pos + i + 1];
    mul *= 128;
  }
  throw malformed('build info length is not a varint');
}

function readInlineString(src: ByteSource, pos: number): [value: string, next: number] {
  const [len, start] = readUvarint(src, pos);
  if (len > MAX_STRING || start + len > src.length)
    throw malformed(`build info string of ${len} bytes overruns the file`);
  return [src.read(start, len).toString('utf8'), start + len];
}

/** Go <= 1.17: the header holds pointers to string headers in the program's address space. */
function readPointerStrings(src: ByteSource, header: Buffer, elf: ElfFile | undefined): GoBuildInfoBlob {
  if (!elf) throw new BulwarkError('UNSUPPORTED', 'pre-Go-1.18 build info is read from ELF binaries only');
  const ptrSize = header[14]!;
  const bigEndian = (header[15]! & 1) === 1;
  if (ptrSize !== 4 && ptrSize !== 8) throw malformed(`build info pointer size ${ptrSize}`);
  const readPtr = (o: number, buf = src.read(o, ptrSize)): number => {
    if (o < 0 || buf.length < ptrSize) throw malformed('build info pointer out of bounds');
    if (ptrSize === 4) return bigEndian ? buf.readUInt32BE(0) : buf.readUInt32LE(0);
    const v = bigEndian ? buf.readBigUInt64BE(0) : buf.readBigUInt64LE(0);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('build info pointer out of range');
    return Number(v);
  };
  const readString = (addr: number): string => {
    const hdr = elfAddrToOffset(elf, addr, 2 * ptrSize);
    if (hdr === undefined) throw malformed('build info string header is not in the file');
    const data = readPtr(hdr);
    const len = readPtr(hdr + ptrSize);
    if (len > MAX_STRING) throw malformed(`build info string of ${len} bytes`);
    if (len === 0) return '';
    const at = elfAddrToOffset(elf, data, len);
    if (at === undefined || at + len > src.length) throw malformed('build info string is not in the file');
    return src.read(at, len).toString('utf8');
  };
  return {
    goVersion: readString(readPtr(16, header.subarray(16))),
    modinfo: readString(readPtr(16 + ptrSize, header.subarray(16 + ptrSize))),
  };
}

function readAt(src: ByteSource, off: number, elf: ElfFile | undefined): GoBuildInfoBlob {
  const header = src.read(off, HEADER);
  if (header.length < HEADER) throw malformed('truncated build info header');
  const flags = header[15]!;
  if ((flags & 2) === 0) return readPointerStrings(src, header, elf);
  const [goVersion, next] = readInlineString(src, off + HEADER);
  const [modinfo] = readInlineString(src, next);
  return { goVersion, modinfo };
}

/** Offsets of `needle`, at most `max`; a file read by offset is searched window by window. */
function findAll(src: ByteSource, needle: Buffer, max: number): number[] {
  const out: number[] = [];
  const step = src.inMemory ? src.length : SEARCH_WINDOW;
  for (let base = 0; base < src.length && out.length < max; base += step) {
    // windows overlap by the needle's length, matches starting in the overlap belong to the next
    const win = src.read(base, step + needle.length - 1);
    for (
      let at = win.indexOf(needle);
      at >= 0 && at < step && out.length < max;
      at = win.indexOf(needle, at + 1)
    )
      out.push(base + at);
  }
  return out;
}

function stripSentinels(modinfo: string): string {
  // Go >= 1.13 wraps modinfo in 16 random-looking bytes on each side so the linker can find it.
  if (modinfo.length >= 33 && modinfo.charCodeAt(modinfo.length - 17) === 10) return modinfo.slice(16, -16);
  return modinfo;
}

/**
 * Finds and reads the build information of a Go binary, from a Buffer or by offset. Returns
 * undefined when the file is not a Go binary (no build info magic); throws MALFORMED_INPUT when
 * the blob is there but corrupt.
 */
export function readGoBuildInfo(input: Buffer | ByteSource): GoBuildInfoBlob | undefined {
  const src = toSource(input);
  const elf = readElf(src);
  let offsets: number[] = [];
  const header = elf?.sections.find((x) => x.name === '.go.buildinfo');
  const magic =
    header && !header.noBits && header.size > 0 ? src.read(header.offset, MAGIC.length) : undefined;
  if (header && (!magic || header.offset + header.size > src.length))
    throw malformed('.go.buildinfo section lies outside the file');
  if (header && magic && magic.length === MAGIC.length && magic.equals(MAGIC)) {
    offsets = [header.offset];
  } else if (elf && elf.sections.length > 0) {
    // The Go linker always writes the section: an ELF with section headers but without it is not
    // a Go binary (most executables in an image), so it is not searched byte by byte.
    return undefined;
  } else {
    // Stripped section headers, Mach-O, PE: the blob is 16-byte aligned in the data segment.
    offsets = findAll(src, MAGIC, MAX_CANDIDATES);
  }
  if (offsets.length === 0) return undefined;
  let firstError: unknown;
  for (const off of offsets) {
    try {
      const blob = readAt(src, off, elf);
      if (!blob.goVersion.startsWith('go') && !blob.goVersion.startsWith('devel')) {
        throw malformed(`build info Go version ${JSON.stringify(blob.goVersion.slice(0, 40))}`);
      }
      return { goVersion: blob.goVersion, modinfo: stripSentinels(blob.modinfo) };
    } catch (e) {
      firstError ??= e;
    }
  }
  throw firstError;
}
