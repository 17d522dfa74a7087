// Builds rpm header blobs (index + data store, big-endian) for tests that need headers rpm would
// never write: out-of-range offsets, wrong types, missing terminators.
export type TagValue = { tag: number; type: 4; value: number } | { tag: number; type: 6 | 9; value: string };

export function headerBlob(tags: TagValue[]): Buffer {
  const data: Buffer[] = [];
  let size = 0;
  const index = Buffer.alloc(tags.length * 16);
  tags.forEach((t, i) => {
    let bytes: Buffer;
    if (t.type === 4) {
      const pad = (4 - (size % 4)) % 4;
      if (pad) {
        data.push(Buffer.alloc(pad));
        size += pad;
      }
      bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(t.value);
    } else {
      bytes = Buffer.from(`${t.value}\0`, 'utf8');
    }
    index.writeUInt32BE(t.tag, i * 16);
    index.writeUInt32BE(t.type, i * 16 + 4);
    index.writeUInt32BE(size, i * 16 + 8);
    index.writeUInt32BE(1, i * 16 + 12);
    data.push(bytes);
    size += bytes.length;
  });
  const head = Buffer.alloc(8);
  head.writeUInt32BE(tags.length, 0);
  head.writeUInt32BE(size, 4);
  return Buffer.concat([head, index, ...data]);
}

export function basicHeader(name: string, version = '1.0', release = '1', extra: TagValue[] = []): Buffer {
  return headerBlob([
    { tag: 1000, type: 6, value: name },
    { tag: 1001, type: 6, value: version },
    { tag: 1002, type: 6, value: release },
    ...extra,
  ]);
}
