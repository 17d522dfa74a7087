import { open } from 'node:fs/promises';
import { BulwarkError } from '../../core/errors.js';

/** Reads a file, or the given stream for `-`, as UTF-8 with a size bound. */
export async function readInputText(
  input: string,
  maxBytes: number,
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  const name = input === '-' ? '<stdin>' : input;
  const tooLarge = () =>
    new BulwarkError('LIMIT_EXCEEDED', `input larger than ${maxBytes} bytes`, { input: name });
  let buf: Buffer;
  if (input === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of stdin) {
      const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
      size += b.length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(b);
    }
    buf = Buffer.concat(chunks);
  } else {
    let fh;
    try {
      fh = await open(input, 'r');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new BulwarkError('INPUT_NOT_FOUND', code === 'ENOENT' ? 'no such file' : String(code), { input });
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new BulwarkError('INPUT_NOT_FOUND', 'not a regular file', { input });
      if (st.size > maxBytes) throw tooLarge();
      buf = await fh.readFile();
    } finally {
      await fh.close();
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new BulwarkError('MALFORMED_INPUT', 'not valid UTF-8', { input: name });
  }
}
