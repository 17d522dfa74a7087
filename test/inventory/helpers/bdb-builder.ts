// Hand-built BerkeleyDB hash files (little-endian, 512-byte pages) for shapes db_load never
// writes: overflow loops, lying entry counts, inline values.
const PS = 512;

export interface Item {
  key: Buffer;
  /** inline value (H_KEYDATA) or an off-page reference (H_OFFPAGE) */
  value: Buffer | { pgno: number; length: number };
}

export function bdbFile(
  hashItems: Item[],
  overflow: { pgno: number; next: number; data: Buffer }[] = [],
  extraPages = 0,
): Buffer {
  const pages = 2 + overflow.length + extraPages;
  const buf = Buffer.alloc(pages * PS);
  buf.writeUInt32LE(0x00061561, 12);
  buf.writeUInt32LE(9, 16);
  buf.writeUInt32LE(PS, 20);
  buf[25] = 8;
  buf.writeUInt32LE(pages - 1, 32);
  const p1 = 1 * PS;
  buf.writeUInt32LE(1, p1 + 8);
  buf[p1 + 25] = 13;
  let top = PS;
  const offsets: number[] = [];
  for (const it of hashItems) {
    const k = Buffer.concat([Buffer.from([1]), it.key]);
    top -= k.length;
    k.copy(buf, p1 + top);
    offsets.push(top);
    let v: Buffer;
    if (Buffer.isBuffer(it.value)) v = Buffer.concat([Buffer.from([1]), it.value]);
    else {
      v = Buffer.alloc(12);
      v[0] = 3;
      v.writeUInt32LE(it.value.pgno, 4);
      v.writeUInt32LE(it.value.length, 8);
    }
    top -= v.length;
    v.copy(buf, p1 + top);
    offsets.push(top);
  }
  buf.writeUInt16LE(offsets.length, p1 + 20);
  buf.writeUInt16LE(top, p1 + 22);
  offsets.forEach((o, i) => buf.writeUInt16LE(o, p1 + 26 + i * 2));
  for (const ov of overflow) {
    const at = ov.pgno * PS;
    buf.writeUInt32LE(ov.pgno, at + 8);
    buf.writeUInt32LE(ov.next, at + 16);
    buf.writeUInt16LE(ov.data.length, at + 22);
    buf[at + 25] = 7;
    ov.data.copy(buf, at + 26);
  }
  return buf;
}

export function hnumKey(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
