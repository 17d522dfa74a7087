import { readSync } from 'node:fs';

/**
 * Synchronous random access to bytes that may not all be in memory: a Buffer (zero-copy views) or
 * an open file read by offset. Analyzers are synchronous and pure, so this is their one way to
 * read a file too large to hand over as a Buffer (see `Analyzer.randomAccess`).
 */
export interface ByteSource {
  readonly length: number;
  /** `length` bytes at `offset`; fewer only at the end of the source */
  read(offset: number, length: number): Buffer;
  /** true when `read` returns views of memory already held (nothing to charge to a budget) */
  readonly inMemory: boolean;
}

export function bufferSource(buf: Buffer): ByteSource {
  return {
    length: buf.length,
    inMemory: true,
    read: (offset, length) => buf.subarray(offset, Math.min(buf.length, offset + length)),
  };
}

/**
 * Reads an open file descriptor by offset: only the bytes asked for are in memory. The caller owns
 * the descriptor and closes it once the reader is done.
 */
export function fileSource(fd: number, size: number): ByteSource {
  return {
    length: size,
    inMemory: false,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const out = Buffer.allocUnsafe(n);
      let done = 0;
      while (done < n) {
        const got = readSync(fd, out, done, n - done, offset + done);
        if (got === 0) break;
        done += got;
      }
      return done === n ? out : out.subarray(0, done);
    },
  };
}
