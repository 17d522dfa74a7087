import assert from 'node:assert/strict';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveInRoot, scanRootfsInventory } from '../../src/image/index.js';
import type { Analyzer } from '../../src/inventory/types.js';
import { pkgJson, testAnalyzers, testOsEcosystem, tmpDir } from './helpers.js';

let dir: string;
let root: string;
let outside: string;

async function put(rel: string, content: string): Promise<void> {
  await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
  await writeFile(path.join(root, rel), content);
}

before(async () => {
  dir = await tmpDir();
  root = path.join(dir, 'rootfs');
  outside = path.join(dir, 'outside');
  await mkdir(outside, { recursive: true });
  await writeFile(path.join(outside, 'os-release'), 'ID=host-secret\n');
  await put('etc/passwd', 'ID=inside-image\nVERSION_ID=1\n');
  await put('var/lib/dpkg/status', 'libc6 2.36-9\nbash 5.2-15\n');
  await put('app/node_modules/a/package.json', pkgJson('a', '1.0.0'));
  await put('proc/package.json', pkgJson('should-not-be-read', '0'));
  // Symlinks that try to leave the root: each must resolve inside it.
  await symlink('../../../../etc/passwd', path.join(root, 'etc/os-release'));
  await mkdir(path.join(root, 'usr/lib'), { recursive: true });
  await symlink(path.join(outside, 'os-release'), path.join(root, 'usr/lib/os-release'));
  await symlink(outside, path.join(root, 'app/node_modules/escape'));
  await symlink('a/package.json', path.join(root, 'app/node_modules/linked-package.json'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scanRootfsInventory', () => {
  it('walks with lstat, resolves symlinks inside the root only and never reads the host', async () => {
    const inv = await scanRootfsInventory(root, { analyzers: testAnalyzers, osEcosystem: testOsEcosystem });
    assert.equal(inv.target.kind, 'rootfs');
    // etc/os-release -> ../../../../etc/passwd is the image's etc/passwd, not the host's
    assert.equal(inv.os?.family, 'inside-image');
    assert.equal(inv.os?.ecosystem, 'inside-image:1');
    assert.deepEqual(
      inv.packages.map((p) => `${p.ecosystem}/${p.name}@${p.version} ${p.location}`),
      [
        'inside-image/bash@5.2-15 var/lib/dpkg/status',
        'inside-image/libc6@2.36-9 var/lib/dpkg/status',
        'npm/a@1.0.0 app/node_modules/a/package.json',
      ],
    );
    assert.ok(inv.packages.every((p) => p.layer === undefined));
  });

  it('resolveInRoot follows absolute and relative links within the root', async () => {
    assert.equal(await resolveInRoot(root, 'etc/os-release', 40), 'etc/passwd');
    // an absolute link restarts at the root: <root>/<dir>/outside/os-release does not exist
    assert.equal(await resolveInRoot(root, 'usr/lib/os-release', 40), undefined);
    assert.equal(await resolveInRoot(root, 'app/node_modules/escape/os-release', 40), undefined);
    assert.equal(
      await resolveInRoot(root, 'app/node_modules/linked-package.json', 40),
      'app/node_modules/a/package.json',
    );
  });

  it('degrades per file: analyzer failures and oversized files become warnings', async () => {
    const boom: Analyzer = {
      id: 'boom',
      version: 1,
      kind: 'lang',
      required: (p) => p === 'var/lib/dpkg/status',
      analyze: () => {
        throw new Error('bad');
      },
    };
    const inv = await scanRootfsInventory(root, {
      analyzers: [...testAnalyzers, boom],
      osEcosystem: testOsEcosystem,
      limits: { maxAnalyzedFileBytes: 26 },
    });
    const codes = inv.warnings.map((w) => w.code).sort();
    assert.ok(codes.includes('FILE_TOO_LARGE'), codes.join());
    assert.ok(codes.includes('ANALYZER_FAILED'), codes.join());
    // the status file (25 bytes) still counts; os-release and package.json were too large
    assert.deepEqual(
      inv.packages.map((p) => p.name),
      ['bash', 'libc6'],
    );
    await assert.rejects(
      scanRootfsInventory(path.join(dir, 'nope'), { analyzers: testAnalyzers, osEcosystem: testOsEcosystem }),
      {
        code: 'INPUT_NOT_FOUND',
      },
    );
  });
});
