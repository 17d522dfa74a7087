/** Byte streams of large JSON feeds: inflated when gzip'd, and failing past a bound. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BulwarkError } from '../core/errors.js';

async function isGzip(file: string): Promise<boolean> {
  const fh = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** `what` names the document in the LIMIT_EXCEEDED message. */
export async function boundedBody(file: string, input: string, max: number, what: string): Promise<Readable> {
  const src = createReadStream(file);
  const body: Readable = (await isGzip(file)) ? src.pipe(createGunzip()) : src;
  if (body !== src) src.on('error', (e) => body.destroy(e));
  let bytes = 0;
  body.on('data', (c: Buffer) => {
    bytes += c.length;
    if (bytes > max)
      body.destroy(new BulwarkError('LIMIT_EXCEEDED', `${what} expands beyond ${max} bytes`, { input }));
  });
  return body;
}
