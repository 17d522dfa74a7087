/**
 * `--follow`: the bytes of a growing file, as `tail -F` gives them. At the end of the file it polls;
 * a file that shrank was truncated (copytruncate rotation: read again from the start), a path that
 * names another file now was renamed and recreated (the old file is read to its end first). Either
 * is announced with a StreamReset so the reader drops a half-read line and renumbers.
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { BulwarkError } from '../core/errors.js';
import type { StreamReset } from './read.js';

export interface FollowOptions {
  /** stops following; the generator then ends */
  signal: AbortSignal;
  /** how often to look for new bytes at the end of the file (default 250 ms) */
  pollMs?: number;
}

const CHUNK = 256 * 1024;

export async function* followFile(file: string, opts: FollowOptions): AsyncGenerator<Buffer | StreamReset> {
  const pollMs = opts.pollMs ?? 250;
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new BulwarkError('INPUT_NOT_FOUND', code === 'ENOENT' ? 'no such file' : String(code), {
      input: file,
      cause: e,
    });
  }
  let id = identity(await fh.stat());
  let pos = 0;
  try {
    while (!opts.signal.aborted) {
      pos = yield* drain(fh, pos);
      if (opts.signal.aborted) break;
      const now = await stat(file).catch(() => undefined);
      if (now && identity(now) !== id) {
        // renamed and recreated: what the old file got since the last read is still ours
        pos = yield* drain(fh, pos);
        await fh.close();
        fh = await open(file, 'r');
        id = identity(await fh.stat());
        pos = 0;
        yield { reset: 'rotated' };
        continue;
      }
      if ((await fh.stat()).size < pos) {
        pos = 0;
        yield { reset: 'truncated' };
        continue;
      }
      try {
        await sleep(pollMs, undefined, { signal: opts.signal });
      } catch {
        break;
      }
    }
  } finally {
    await fh.close();
  }
}

/** Reads from `pos` to the current end; returns the new position. */
async function* drain(fh: FileHandle, pos: number): AsyncGenerator<Buffer, number> {
  for (;;) {
    const buf = Buffer.allocUnsafe(CHUNK);
    const { bytesRead } = await fh.read(buf, 0, CHUNK, pos);
    if (bytesRead === 0) return pos;
    pos += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

function identity(st: { dev: number; ino: number }): string {
  return `${st.dev}:${st.ino}`;
}
