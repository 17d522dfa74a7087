/**
 * `bulwark server` as a real process from the source (through tsx), listening on a free loopback
 * port: resolves with the address its first JSON line announces, rejects if it exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO } from '../cli/helpers.js';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** everything the process wrote on stderr so far */
  stderr: () => string;
}

export function startServerProcess(args: string[], env: Record<string, string>): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO, 'test/cli/run-cli.ts'),
        'server',
        '--listen',
        '127.0.0.1:0',
        '--format',
        'json',
        ...args,
      ],
      {
        cwd: REPO,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (!out.includes('\n')) return;
      try {
        resolve({
          child,
          url: (JSON.parse(out.split('\n')[0]!) as { listening: string }).listening,
          stderr: () => err,
        });
      } catch (e) {
        reject(e as Error);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}
