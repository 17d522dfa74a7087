// Differential test: go.mod + go.sum of a go 1.16 module against `go list -m all`, run offline
// (GOPROXY=off) on a module cache built here. Before go 1.17 a go.mod names direct requirements
// only; the build list comes from the dependencies' go.mod files, whose versions go.sum records.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { dirInventory } from '../../src/scan/fs.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bulwark-golist-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const cache = path.join(tmp, 'modcache');
const app = path.join(tmp, 'app');

/** go.sum's `/go.mod` hash: dirhash Hash1 over the one file `go.mod`. */
function h1(content: string): string {
  const file = createHash('sha256').update(content).digest('hex');
  return `h1:${createHash('sha256').update(`${file}  go.mod\n`).digest('base64')}`;
}

const sum: string[] = [];
function mod(p: string, version: string, content: string): void {
  const dir = path.join(cache, 'cache/download', p, '@v');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${version}.mod`), content);
  writeFileSync(
    path.join(dir, `${version}.info`),
    JSON.stringify({ Version: version, Time: '2020-01-01T00:00:00Z' }),
  );
  sum.push(`${p} ${version}/go.mod ${h1(content)}`);
}

function goList(dir: string): string[] {
  const env = { ...process.env, GOFLAGS: '-mod=readonly', GOPROXY: 'off', GOSUMDB: 'off', GOMODCACHE: cache };
  Object.assign(env, { GOTOOLCHAIN: 'local' });
  const out = execFileSync('go', ['list', '-m', '-f', '{{.Path}}@{{.Version}}', 'all'], {
    cwd: dir,
    env,
    encoding: 'utf8',
  });
  // the first line is the main module (no version)
  return out.trim().split('\n').slice(1).sort();
}

async function ours(dir: string): Promise<string[]> {
  const inv = await dirInventory(dir, 'fs');
  return inv.packages
    .filter((p) => p.ecosystem === 'Go')
    .map((p) => `${p.name}@${p.version}`)
    .sort();
}

describe('go.mod + go.sum vs go list -m all', () => {
  it('a go 1.16 module: the build list includes the go.sum modules, at their selected versions', async () => {
    mod('example.com/a', 'v1.0.0', 'module example.com/a\n\ngo 1.16\n\nrequire example.com/b v1.1.0\n');
    mod('example.com/b', 'v1.0.0', 'module example.com/b\n');
    mod(
      'example.com/b',
      'v1.1.0',
      'module example.com/b\n\ngo 1.16\n\nrequire (\n\texample.com/c v0.2.0\n\texample.com/d v0.0.0-20200101000000-abcdefabcdef\n)\n',
    );
    mod('example.com/c', 'v0.2.0', 'module example.com/c\n\nrequire example.com/b v1.0.0\n');
    mod('example.com/d', 'v0.0.0-20200101000000-abcdefabcdef', 'module example.com/d\n');
    mkdirSync(app, { recursive: true });
    writeFileSync(
      path.join(app, 'go.mod'),
      'module example.com/app\n\ngo 1.16\n\nrequire example.com/a v1.0.0\n',
    );
    writeFileSync(path.join(app, 'go.sum'), `${sum.sort().join('\n')}\n`);
    const want = goList(app);
    assert.deepEqual(want, [
      'example.com/a@v1.0.0',
      'example.com/b@v1.1.0',
      'example.com/c@v0.2.0',
      'example.com/d@v0.0.0-20200101000000-abcdefabcdef',
    ]);
    assert.deepEqual(await ours(app), want);
  });

  it('a go 1.17 module lists its whole build list itself: go.sum adds nothing', async () => {
    writeFileSync(
      path.join(app, 'go.mod'),
      'module example.com/app\n\ngo 1.17\n\nrequire example.com/a v1.0.0\n\nrequire (\n\texample.com/b v1.1.0 // indirect\n\texample.com/c v0.2.0 // indirect\n\texample.com/d v0.0.0-20200101000000-abcdefabcdef // indirect\n)\n',
    );
    writeFileSync(path.join(app, 'go.sum'), `${sum.sort().join('\n')}\nexample.com/zzz v9.9.9/go.mod h1:x\n`);
    const got = await ours(app);
    assert.ok(!got.includes('example.com/zzz@v9.9.9'));
    writeFileSync(path.join(app, 'go.sum'), `${sum.sort().join('\n')}\n`);
    assert.deepEqual(got, goList(app));
  });
});
