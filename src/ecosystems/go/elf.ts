/**
 * Just enough of ELF to find a named section and map virtual addresses to file offsets, for reading
 * metadata embedded in compiled binaries (Go build info, cargo-auditable). Every offset read from the
 * file is bounds-checked: binaries in images are untrusted input. Reads go through a ByteSource, so
 * a binary too large to buffer is read by offset: headers, string table and the one section only.
 */
import { bufferSource, type ByteSource } from '../../core/byte-source.js';

export interface ElfSection {
  name: string;
  /** file offset */
  offset: number;
  size: number;
  addr: number;
  /** SHT_NOBITS sections (.bss) occupy no file bytes */
  noBits: boolean;
}

export interface ElfSegment {
  offset: number;
  vaddr: number;
  filesz: number;
}

export interface ElfFile {
  bits: 32 | 64;
  littleEndian: boolean;
  sections: ElfSection[];
  /** PT_LOAD segments */
  segments: ElfSegment[];
}

const MAX_HEADERS = 65_535;
/** header tables and the section name table read at most this much (real ones are kilobytes) */
const MAX_TABLE = 8 * 1024 * 1024;

export function toSource(input: Buffer | ByteSource): ByteSource {
  return Buffer.isBuffer(input) ? bufferSource(input) : input;
}

export function isElf(input: Buffer | ByteSource): boolean {
  if (input.length < 52) return false;
  const buf = Buffer.isBuffer(input) ? input : input.read(0, 4);
  return buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46;
}

/** Parses the section and program header tables; undefined when the file is not a readable ELF. */
export function readElf(input: Buffer | ByteSource): ElfFile | undefined {
  const src = toSource(input);
  if (!isElf(src)) return undefined;
  const size = src.length;
  let buf = src.read(0, 64);
  const cls = buf[4];
  const data = buf[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) return undefined;
  const bits = cls === 1 ? 32 : 64;
  const le = data === 1;
  // `buf` is the bytes being decoded: the file header first, then each table read on its own.
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number): number => {
    const v = le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
  };
  const word = (o: number): number => (bits === 64 ? u64(o) : u32(o));
  if (bits === 64 && size < 64) return undefined;

  const phoff = bits === 64 ? u64(0x20) : u32(0x1c);
  const shoff = bits === 64 ? u64(0x28) : u32(0x20);
  const phentsize = u16(bits === 64 ? 0x36 : 0x2a);
  const phnum = u16(bits === 64 ? 0x38 : 0x2c);
  const shentsize = u16(bits === 64 ? 0x3a : 0x2e);
  const shnum = u16(bits === 64 ? 0x3c : 0x30);
  const shstrndx = u16(bits === 64 ? 0x3e : 0x32);

  const segments: ElfSegment[] = [];
  const phMin = bits === 64 ? 56 : 32;
  const phBytes = phnum * phentsize;
  if (
    phoff > 0 &&
    phentsize >= phMin &&
    phnum <= MAX_HEADERS &&
    phBytes <= MAX_TABLE &&
    phoff + phBytes <= size
  ) {
    buf = src.read(phoff, phBytes);
    for (let i = 0; i < phnum; i++) {
      const o = i * phentsize;
      if (u32(o) !== 1) continue; // PT_LOAD
      const seg =
        bits === 64
          ? { offset: u64(o + 8), vaddr: u64(o + 16), filesz: u64(o + 32) }
          : { offset: u32(o + 4), vaddr: u32(o + 8), filesz: u32(o + 16) };
      if (seg.offset >= 0 && seg.vaddr >= 0 && seg.filesz >= 0) segments.push(seg);
    }
  }

  const sections: ElfSection[] = [];
  const shMin = bits === 64 ? 64 : 40;
  const shBytes = shnum * shentsize;
  if (
    shoff > 0 &&
    shentsize >= shMin &&
    shnum <= MAX_HEADERS &&
    shBytes <= MAX_TABLE &&
    shoff + shBytes <= size
  ) {
    buf = src.read(shoff, shBytes);
    const raw: { nameOff: number; type: number; addr: number; offset: number; size: number }[] = [];
    for (let i = 0; i < shnum; i++) {
      const o = i * shentsize;
      raw.push({
        nameOff: u32(o),
        type: u32(o + 4),
        addr: word(o + (bits === 64 ? 16 : 12)),
        offset: word(o + (bits === 64 ? 24 : 16)),
        size: word(o + (bits === 64 ? 32 : 20)),
      });
    }
    const strtab = raw[shstrndx];
    const names =
      strtab &&
      strtab.offset >= 0 &&
      strtab.size >= 0 &&
      strtab.size <= MAX_TABLE &&
      strtab.offset + strtab.size <= size
        ? src.read(strtab.offset, strtab.size)
        : undefined;
    for (const s of raw) {
      let name = '';
      if (names && s.nameOff < names.length) {
        let end = names.indexOf(0, s.nameOff);
        if (end < 0) end = names.length;
        name = names.toString('latin1', s.nameOff, end);
      }
      if (s.offset < 0 || s.size < 0 || s.addr < 0) continue;
      sections.push({ name, offset: s.offset, size: s.size, addr: s.addr, noBits: s.type === 8 });
    }
  }
  return { bits, littleEndian: le, sections, segments };
}

/**
 * The bytes of a section, or undefined when it is missing, empty in the file or out of bounds
 * (a view of a Buffer; read from a source, up to `maxBytes`).
 */
export function elfSectionData(
  input: Buffer | ByteSource,
  elf: ElfFile,
  name: string,
  maxBytes = Number.MAX_SAFE_INTEGER,
): Buffer | undefined {
  const s = elf.sections.find((x) => x.name === name);
  if (!s || s.noBits || s.size === 0 || s.size > maxBytes) return undefined;
  if (s.offset + s.size > input.length) return undefined;
  return toSource(input).read(s.offset, s.size);
}

/** Maps a virtual address to a file offset through the PT_LOAD segments. */
export function elfAddrToOffset(elf: ElfFile, addr: number, length: number): number | undefined {
  for (const seg of elf.segments) {
    if (addr >= seg.vaddr && addr + length <= seg.vaddr + seg.filesz) return seg.offset + (addr - seg.vaddr);
  }
  return undefined;
}
