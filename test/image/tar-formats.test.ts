import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, symlink, writeFile, link } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { indexTar } from '../../src/image/index.js';
import { TarScanner, type TarEntryHeader } from '../../src/image/tar-scan.js';
import { tmpDir } from './helpers.js';

/**
 * The layer scanner and the outer-archive index read tar by hand, so both are checked against
 * archives written by GNU tar in each format it writes, and against GNU tar's own listing.
 */
let dir: string;
const longDir = `deep/${'d'.repeat(90)}/${'e'.repeat(90)}/${'f'.repeat(90)}`;
const longFile = `${longDir}/${'n'.repeat(120)}.txt`;

before(async () => {
  dir = await tmpDir();
  const src = path.join(dir, 'src');
  await mkdir(path.join(src, longDir), { recursive: true });
  await writeFile(path.join(src, longFile), 'long name content\n');
  await writeFile(path.join(src, 'small.txt'), 'x'.repeat(1000));
  await writeFile(path.join(src, 'empty'), '');
  await writeFile(path.join(src, 'ünïcode-名前.txt'), 'u');
  await symlink(`../${longFile}`, path.join(src, 'deep', 'link-to-long'));
  await link(path.join(src, 'small.txt'), path.join(src, 'hard.txt'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function scanAll(data: Buffer, chunk: number, want: (h: TarEntryHeader) => boolean) {
  const seen: { name: string; type: string; size: number; linkname: string }[] = [];
  const contents = new Map<string, string>();
  const s = new TarScanner({
    entry: (h) => (seen.push({ name: h.name, type: h.type, size: h.size, linkname: h.linkname }), want(h)),
    content: (h, d) => void contents.set(h.name, d.toString('utf8')),
  });
  for (let i = 0; i < data.length; i += chunk) s.write(data.subarray(i, i + chunk));
  return { seen, contents, complete: s.complete };
}

describe('hand-written tar readers against GNU tar', () => {
  for (const format of ['gnu', 'posix', 'ustar', 'oldgnu'] as const) {
    it(`reads --format=${format} like tar -t does`, async () => {
      const file = path.join(dir, `${format}.tar`);
      const args = ['-C', path.join(dir, 'src'), `--format=${format}`, '-cf', file, '.'];
      try {
        execFileSync('tar', args, { stdio: 'pipe' });
      } catch (e) {
        // ustar cannot hold a 120-character file name: GNU tar refuses it, and so may we
        assert.equal(format, 'ustar', String(e));
        execFileSync('tar', [...args.slice(0, -1), './small.txt', './hard.txt', './empty'], {
          stdio: 'pipe',
        });
      }
      const data = await readFile(file);
      const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((n) => n.replace(/\/$/, ''));
      for (const chunk of [1, 511, 512, 513, 4096, 1 << 20]) {
        const { seen, contents, complete } = scanAll(data, chunk, (h) => h.type === 'file');
        assert.ok(complete, `complete at chunk ${chunk}`);
        assert.deepEqual(
          seen.map((e) => e.name.replace(/\/$/, '')),
          listed,
          `names at chunk ${chunk}`,
        );
        if (format !== 'ustar') {
          assert.equal(contents.get(`./${longFile}`), 'long name content\n');
          const l = seen.find((e) => e.name === './deep/link-to-long')!;
          assert.equal(l.type, 'symlink');
          assert.equal(l.linkname, `../${longFile}`);
          assert.equal(contents.get('./ünïcode-名前.txt'), 'u');
        }
        assert.equal(contents.get('./small.txt'), 'x'.repeat(1000));
        assert.equal(contents.get('./empty'), '');
        const hard = seen.find(
          (e) => e.name === './hard.txt' || (e.name === './small.txt' && e.type === 'link'),
        );
        assert.ok(hard);
      }
      const index = await indexTar(file);
      const files = listed.filter((n) => index.get(n.replace(/^\.\//, ''))?.type === 'file');
      assert.ok(files.includes('./small.txt'));
      const small = index.get('small.txt')!;
      assert.equal(data.toString('utf8', small.offset, small.offset + small.size), 'x'.repeat(1000));
      if (format !== 'ustar') assert.equal(index.get(longFile)?.size, 'long name content\n'.length);
    });
  }

  it('notices truncation and bad checksums', () => {
    const file = path.join(dir, 'gnu.tar');
    const data = execFileSync('cat', [file]);
    const cut = scanAll(data.subarray(0, 1024 + 100), 512, () => true);
    assert.equal(cut.complete, false);
    const bad = Buffer.from(data);
    bad[10] = bad[10]! ^ 0xff;
    assert.throws(() => scanAll(bad, 4096, () => false), /checksum/);
  });
});
