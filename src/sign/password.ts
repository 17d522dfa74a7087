/**
 * Where a key password comes from: BULWARK_PASSWORD or COSIGN_PASSWORD (an empty value is a valid,
 * empty password, as for cosign), else a hidden prompt on the terminal, with confirmation when a
 * new key is written. Never a command-line argument: those end up in shell history and `ps`.
 */
import { BulwarkError } from '../core/errors.js';

export interface PasswordOptions {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadStream;
  /** where the prompt is written (stderr, so stdout stays clean) */
  prompt: NodeJS.WritableStream;
  /** ask twice and compare (for a key being created) */
  confirm?: boolean;
  /** the file the password is for, named in errors */
  input?: string;
}

export const PASSWORD_ENV = ['BULWARK_PASSWORD', 'COSIGN_PASSWORD'] as const;

export async function readPassword(opts: PasswordOptions): Promise<Buffer> {
  for (const name of PASSWORD_ENV) {
    const v = opts.env[name];
    if (v !== undefined) return Buffer.from(v, 'utf8');
  }
  if (!opts.stdin.isTTY) {
    throw new BulwarkError(
      'KEY_INVALID',
      'the key needs a password: set COSIGN_PASSWORD (or BULWARK_PASSWORD), or run on a terminal to be asked',
      { input: opts.input },
    );
  }
  const first = await promptHidden(opts.stdin, opts.prompt, 'Enter password for private key: ');
  if (opts.confirm) {
    const again = await promptHidden(opts.stdin, opts.prompt, 'Enter password for private key again: ');
    if (again !== first)
      throw new BulwarkError('KEY_INVALID', 'passwords do not match', { input: opts.input });
  }
  return Buffer.from(first, 'utf8');
}

/** Reads one line from a TTY in raw mode without echoing it; Ctrl-C and Ctrl-D abort. */
function promptHidden(
  stdin: NodeJS.ReadStream,
  out: NodeJS.WritableStream,
  question: string,
): Promise<string> {
  out.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    const finish = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      out.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || ch === '\u0004') {
          return finish(new BulwarkError('KEY_INVALID', 'password prompt aborted'));
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
