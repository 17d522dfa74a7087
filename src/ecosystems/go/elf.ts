/**
 * Just enough of ELF to find a named section and map virtual addresses to file offsets, for reading
 * metadata embedded in compiled binaries (Go build info, cargo-auditable). Every offset read from the
 * file is bounds-checked: binaries in images are untrusted input.
 */

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

export function isElf(buf: Buffer): boolean {
  return buf.length >= 52 && buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46;
}

/** Parses the section and program header tables; undefined when the file is not a readable ELF. */
export function readElf(buf: Buffer): ElfFile | undefined {
  if (!isElf(buf)) return undefined;
  const cls = buf[4];
  const data = buf[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) return undefined;
  const bits = cls === 1 ? 32 : 64;
  const le = data === 1;
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const u64 = (o: number): number => {
    const v = le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
  };
  const word = (o: number): number => (bits === 64 ? u64(o) : u32(o));
  if (bits === 64 && buf.length < 64) return undefined;

  const phoff = bits === 64 ? u64(0x20) : u32(0x1c);
  const shoff = bits === 64 ? u64(0x28) : u32(0x20);
  const phentsize = u16(bits === 64 ? 0x36 : 0x2a);
  const phnum = u16(bits === 64 ? 0x38 : 0x2c);
  const shentsize = u16(bits === 64 ? 0x3a : 0x2e);
  const shnum = u16(bits === 64 ? 0x3c : 0x30);
  const shstrndx = u16(bits === 64 ? 0x3e : 0x32);

  const segments: ElfSegment[] = [];
  const phMin = bits === 64 ? 56 : 32;
  if (phoff > 0 && phentsize >= phMin && phnum <= MAX_HEADERS && phoff + phnum * phentsize <= buf.length) {
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * phentsize;
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
  if (shoff > 0 && shentsize >= shMin && shnum <= MAX_HEADERS && shoff + shnum * shentsize <= buf.length) {
    const raw: { nameOff: number; type: number; addr: number; offset: number; size: number }[] = [];
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shentsize;
      raw.push({
        nameOff: u32(o),
        type: u32(o + 4),
        addr: word(o + (bits === 64 ? 16 : 12)),
        offset: word(o + (bits === 64 ? 24 : 16)),
        size: word(o + (bits === 64 ? 32 : 20)),
      });
    }
    const strtab = raw[shstrndx];
    const strOk =
      strtab && strtab.offset >= 0 && strtab.size >= 0 && strtab.offset + strtab.size <= buf.length;
    for (const s of raw) {
      let name = '';
      if (strOk && s.nameOff < strtab.size) {
        const start = strtab.offset + s.nameOff;
        let end = buf.indexOf(0, start);
        if (end < 0 || end > strtab.offset + strtab.size) end = strtab.offset + strtab.size;
        name = buf.toString('latin1', start, end);
      }
      if (s.offset < 0 || s.size < 0 || s.addr < 0) continue;
      sections.push({ name, offset: s.offset, size: s.size, addr: s.addr, noBits: s.type === 8 });
    }
  }
  return { bits, littleEndian: le, sections, segments };
}

/** The bytes of a section, or undefined when it is missing, empty in the file or out of bounds. */
export function elfSectionData(buf: Buffer, elf: ElfFile, name: string): Buffer | undefined {
  const s = elf.sections.find((x) => x.name === name);
  if (!s || s.noBits || s.size === 0) return undefined;
  if (s.offset + s.size > buf.length) return undefined;
  return buf.subarray(s.offset, s.offset + s.size);
}

/** Maps a virtual address to a file offset through the PT_LOAD segments. */
export function elfAddrToOffset(elf: ElfFile, addr: number, length: number): number | undefined {
  for (const seg of elf.segments) {
    if (addr >= seg.vaddr && addr + length <= seg.vaddr + seg.filesz) return seg.offset + (addr - seg.vaddr);
  }
  return undefined;
}
