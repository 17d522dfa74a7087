// Shared helpers for the trust tests: fixtures, temp dirs, and the independent implementations
// (openssl, Debian's python3 with hashlib.scrypt + PyNaCl) the results are cross-checked with.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const execFileP = promisify(execFile);
export const FIXTURES = path.join(import.meta.dirname, '__fixtures__');
/** Debian's python3, which has python3-nacl (a pyenv shim on PATH may not) */
export const PYTHON = '/usr/bin/python3';

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

export async function fixtureText(...parts: string[]): Promise<string> {
  return readFile(fixture(...parts), 'utf8');
}

export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `bulwark-${prefix}-`));
}

/** Runs a program with stdin; resolves with stdout (Buffer), rejects with stderr on failure. */
export function run(cmd: string, args: string[], input?: Buffer | string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${cmd} exited ${code}: ${err}`)),
    );
    child.stdin.end(input ?? '');
  });
}

export const COSIGN_FIXTURE_PASSWORD = Buffer.from('hello');
export const passwordOf = (p: string) => () => Promise.resolve(Buffer.from(p));
