import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal zip writer for hostile-input tests: it writes what it is told, including lies about
 * sizes, so tests can build bombs and corrupt archives that real tools refuse to make.
 */
export interface FakeEntry {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflated (default) */
  method?: 0 | 8;
  /** overrides the uncompressed size written in the central directory */
  declaredSize?: number;
}

/** `zip64`: sizes, offsets and counts go through zip64 extra fields and end records. */
export function writeZip(entries: FakeEntry[], prefix: Buffer = Buffer.alloc(0), zip64 = false): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const method = e.method ?? 8;
    const body = method === 8 ? deflateRawSync(e.data) : e.data;
    const name = Buffer.from(e.name);
    const size = e.declaredSize ?? e.data.length;
    const crc = crc32(e.data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt16LE(method, 8);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(body.length, 18);
    lh.writeUInt32LE(size, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(method, 10);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(zip64 ? 0xffffffff : body.length, 20);
    ch.writeUInt32LE(zip64 ? 0xffffffff : size, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(zip64 ? 0xffffffff : offset, 42);
    locals.push(lh, name, body);
    if (zip64) {
      const extra = Buffer.alloc(28);
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(size), 4);
      extra.writeBigUInt64LE(BigInt(body.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
      ch.writeUInt16LE(extra.length, 30);
      central.push(ch, name, extra);
    } else {
      central.push(ch, name);
    }
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : entries.length, 10);
  end.writeUInt32LE(zip64 ? 0xffffffff : cd.length, 12);
  end.writeUInt32LE(zip64 ? 0xffffffff : offset, 16);
  if (!zip64) return Buffer.concat([prefix, ...locals, cd, end]);
  const z = Buffer.alloc(56);
  z.writeUInt32LE(0x06064b50, 0);
  z.writeBigUInt64LE(44n, 4);
  z.writeBigUInt64LE(BigInt(entries.length), 24);
  z.writeBigUInt64LE(BigInt(entries.length), 32);
  z.writeBigUInt64LE(BigInt(cd.length), 40);
  z.writeBigUInt64LE(BigInt(offset), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(prefix.length + offset + cd.length), 8);
  loc.writeUInt32LE(1, 16);
  return Buffer.concat([prefix, ...locals, cd, z, loc, end]);
}

export function pomProperties(groupId: string, artifactId: string, version: string): Buffer {
  return Buffer.from(`#Created by Maven\nartifactId=${artifactId}\ngroupId=${groupId}\nversion=${version}\n`);
}
