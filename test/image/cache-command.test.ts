import assert from 'node:assert/strict';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/cache.js';
import { createContext } from '../../src/cli/context.js';
import { tmpDir } from './helpers.js';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function run(args: string[]): Promise<string> {
  const out: string[] = [];
  const ctx = { ...createContext(), emit: async (text: string) => void out.push(text) };
  const program = new Command('bulwark').exitOverride();
  register(program, ctx);
  await program.parseAsync(args, { from: 'user' });
  return out.join('');
}

describe('bulwark cache clean', () => {
  it('removes layer results and prints what it removed as JSON', async () => {
    const dir = await tmpDir();
    dirs.push(dir);
    await mkdir(path.join(dir, 'layers'), { recursive: true });
    await writeFile(path.join(dir, 'layers', `${'a'.repeat(64)}.json`), '{"format":1}');
    await mkdir(path.join(dir, 'db'), { recursive: true });
    await writeFile(path.join(dir, 'db', 'bulwark.db'), 'x');
    const out = JSON.parse(await run(['cache', 'clean', '--cache-dir', dir, '--format', 'json'])) as {
      cacheDir: string;
      removed: string[];
      bytes: number;
    };
    assert.deepEqual(out, { cacheDir: dir, removed: [`layers/${'a'.repeat(64)}.json`], bytes: 12 });
    assert.deepEqual(await readdir(path.join(dir, 'layers')), []);
    assert.deepEqual(await readdir(path.join(dir, 'db')), ['bulwark.db']);
    assert.match(await run(['cache', 'clean', '--cache-dir', dir]), /^nothing to remove in /);
  });
});
