import { createRequire } from 'node:module';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { createGunzip, type ZlibOptions } from 'node:zlib';
import type * as Fzstd from 'fzstd';
import type * as ZstdNapi from 'zstd-napi';

export type Compression = 'gzip' | 'zstd' | 'none';

/** Magic bytes decide, not media types: registries and archives mislabel layers often enough. */
export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd)
    return 'zstd';
  return 'none';
}

/**
 * Reads until at least `n` bytes are buffered (or the stream ends) and returns them without
 * consuming them, so the next stage still sees the whole stream.
 */
export async function peek(stream: Readable, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < n) {
    const chunk = stream.read() as Buffer | null;
    if (chunk !== null) {
      chunks.push(chunk);
      total += chunk.length;
      continue;
    }
    if (stream.readableEnded || stream.destroyed) break;
    const ended = await new Promise<boolean>((resolve, reject) => {
      const cleanup = (): void => {
        stream.off('readable', onReadable);
        stream.off('end', onEnd);
        stream.off('error', onError);
        stream.off('close', onEnd);
      };
      const onReadable = (): void => (cleanup(), resolve(false));
      const onEnd = (): void => (cleanup(), resolve(true));
      const onError = (e: Error): void => (cleanup(), reject(e));
      stream.on('readable', onReadable);
      stream.on('end', onEnd);
      stream.on('error', onError);
      stream.on('close', onEnd);
    });
    if (ended && stream.readableLength === 0) break;
  }
  const head = Buffer.concat(chunks, total);
  if (head.length > 0) stream.unshift(head);
  return head;
}

type ZstdFactory = () => Transform;
let zstdFactory: ZstdFactory | undefined;

/** zstd-napi when its native module loads, else the pure-JS fzstd (slower, same output). */
function loadZstd(): ZstdFactory {
  if (zstdFactory) return zstdFactory;
  const require = createRequire(import.meta.url);
  try {
    const { DecompressStream } = require('zstd-napi') as typeof ZstdNapi;
    zstdFactory = () => new DecompressStream();
  } catch {
    zstdFactory = fzstdStream;
  }
  return zstdFactory;
}

export function fzstdStream(): Transform {
  const require = createRequire(import.meta.url);
  const { Decompress } = require('fzstd') as typeof Fzstd;
  let finished = false;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        d.push(chunk);
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
    flush(cb: TransformCallback) {
      try {
        d.push(new Uint8Array(0), true);
        cb(finished ? null : new Error('zstd stream ended in the middle of a frame'));
      } catch (e) {
        cb(e as Error);
      }
    },
  });
  const d = new Decompress((data, final) => {
    if (data.length) t.push(Buffer.from(data.buffer, data.byteOffset, data.length));
    if (final) finished = true;
  });
  return t;
}

/** A decompressor for the detected format, or undefined for plain tar. */
export function decompressor(kind: Compression, opts: { forceJsZstd?: boolean } = {}): Transform | undefined {
  // A deep readable buffer lets zlib keep inflating on the thread pool while the main thread
  // hashes and scans what it already produced.
  if (kind === 'gzip') {
    // node's ZlibOptions type omits the stream options its constructor passes on to Transform
    const options: ZlibOptions & { readableHighWaterMark: number } = {
      chunkSize: 1024 * 1024,
      readableHighWaterMark: 32 * 1024 * 1024,
    };
    return createGunzip(options);
  }
  if (kind === 'zstd') return opts.forceJsZstd ? fzstdStream() : loadZstd()();
  return undefined;
}
