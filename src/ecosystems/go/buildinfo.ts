import { BulwarkError } from '../../core/errors.js';
import { elfAddrToOffset, elfSectionData, isElf, readElf, type ElfFile } from './elf.js';

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

/** True when the buffer starts like an executable Go can produce (ELF, Mach-O, PE). */
export function isExecutableImage(buf: Buffer): boolean {
  if (buf.length < 64) return false;
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

function readUvarint(buf: Buffer, pos: number): [value: number, next: number] {
  let value = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= buf.length) throw malformed('truncated build info length');
    const b = buf[pos + i]!;
    value += (b & 0x7f) * mul;
    if (value > Number.MAX_SAFE_INTEGER) throw malformed('build info length overflows');
    if (b < 0x80) return [value, pos + i + 1];
    mul *= 128;
  }
  throw malformed('build info length is not a varint');
}

function readInlineString(buf: Buffer, pos: number): [value: string, next: number] {
  const [len, start] = readUvarint(buf, pos);
  if (len > MAX_STRING || start + len > buf.length)
    throw malformed(`build info string of ${len} bytes overruns the file`);
  return [buf.toString('utf8', start, start + len), start + len];
}

/** Go <= 1.17: the header holds pointers to string headers in the program's address space. */
function readPointerStrings(buf: Buffer, off: number, elf: ElfFile | undefined): GoBuildInfoBlob {
  if (!elf) throw new BulwarkError('UNSUPPORTED', 'pre-Go-1.18 build info is read from ELF binaries only');
  const ptrSize = buf[off + 14]!;
  const bigEndian = (buf[off + 15]! & 1) === 1;
  if (ptrSize !== 4 && ptrSize !== 8) throw malformed(`build info pointer size ${ptrSize}`);
  const readPtr = (o: number): number => {
    if (o < 0 || o + ptrSize > buf.length) throw malformed('build info pointer out of bounds');
    if (ptrSize === 4) return bigEndian ? buf.readUInt32BE(o) : buf.readUInt32LE(o);
    const v = bigEndian ? buf.readBigUInt64BE(o) : buf.readBigUInt64LE(o);
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
    if (at === undefined) throw malformed('build info string is not in the file');
    return buf.toString('utf8', at, at + len);
  };
  return { goVersion: readString(readPtr(off + 16)), modinfo: readString(readPtr(off + 16 + ptrSize)) };
}

function readAt(buf: Buffer, off: number, elf: ElfFile | undefined): GoBuildInfoBlob {
  if (off + HEADER > buf.length) throw malformed('truncated build info header');
  const flags = buf[off + 15]!;
  if ((flags & 2) === 0) return readPointerStrings(buf, off, elf);
  const [goVersion, next] = readInlineString(buf, off + HEADER);
  const [modinfo] = readInlineString(buf, next);
  return { goVersion, modinfo };
}

function stripSentinels(modinfo: string): string {
  // Go >= 1.13 wraps modinfo in 16 random-looking bytes on each side so the linker can find it.
  if (modinfo.length >= 33 && modinfo.charCodeAt(modinfo.length - 17) === 10) return modinfo.slice(16, -16);
  return modinfo;
}

/**
 * Finds and reads the build information of a Go binary. Returns undefined when the file is not a
 * Go binary (no build info magic); throws MALFORMED_INPUT when the blob is there but corrupt.
 */
export function readGoBuildInfo(buf: Buffer): GoBuildInfoBlob | undefined {
  const elf = readElf(buf);
  let offsets: number[] = [];
  const header = elf?.sections.find((x) => x.name === '.go.buildinfo');
  const section = elf && header ? elfSectionData(buf, elf, '.go.buildinfo') : undefined;
  if (header && !section) throw malformed('.go.buildinfo section lies outside the file');
  if (section && section.length >= MAGIC.length && section.subarray(0, MAGIC.length).equals(MAGIC)) {
    offsets = [section.byteOffset - buf.byteOffset];
  } else if (elf && elf.sections.length > 0) {
    // The Go linker always writes the section: an ELF with section headers but without it is not
    // a Go binary (most executables in an image), so it is not searched byte by byte.
    return undefined;
  } else {
    // Stripped section headers, Mach-O, PE: the blob is 16-byte aligned in the data segment.
    for (
      let at = buf.indexOf(MAGIC);
      at >= 0 && offsets.length < MAX_CANDIDATES;
      at = buf.indexOf(MAGIC, at + 1)
    ) {
      offsets.push(at);
    }
  }
  if (offsets.length === 0) return undefined;
  let firstError: unknown;
  for (const off of offsets) {
    try {
      const blob = readAt(buf, off, elf);
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
