import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  cleanCache,
  LayerCache,
  layerCacheKey,
  openOciLayout,
  scanImageInventory,
  type ImageSource,
} from '../../src/image/index.js';
import {
  buildLayer,
  imageConfig,
  pkgJson,
  testAnalyzers,
  testOsEcosystem,
  tmpDir,
  writeOciLayout,
  type BuiltLayer,
} from './helpers.js';

let dir: string;
let layers: BuiltLayer[];
let layout: string;
before(async () => {
  dir = await tmpDir();
  layers = [];
  for (let i = 0; i < 4; i++) {
    layers.push(
      await buildLayer(
        [
          ...(i === 0 ? [{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' }] : []),
          { name: `srv/m${i}/package.json`, content: pkgJson(`m${i}`, `${i}.0.0`) },
          { name: `srv/m${i}/data.bin`, content: Buffer.alloc(200_000, i) },
        ],
        i % 2 ? 'zstd' : 'gzip',
      ),
    );
  }
  layout = path.join(dir, 'layout');
  await writeOciLayout(layout, [{ layers }]);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Wraps a source to count layer opens: a warm scan must not open any. */
function counting(source: ImageSource): ImageSource & { opened: string[] } {
  const opened: string[] = [];
  return {
    name: source.name,
    opened,
    resolve: () => source.resolve(),
    openLayer: (l) => (opened.push(l.digest), source.openLayer(l)),
    close: () => source.close(),
  };
}

async function scanCounting(
  cacheDir: string,
  analyzers: Parameters<typeof scanImageInventory>[1]['analyzers'] = testAnalyzers,
  at = layout,
) {
  const src = counting(await openOciLayout(at));
  const inv = await scanImageInventory(src, { analyzers, cacheDir, osEcosystem: testOsEcosystem });
  await src.close();
  return { inv, opened: src.opened };
}

describe('layer cache', () => {
  it('lazy analyzers: keyed by their versions, loaded on the first miss only, never on a warm rescan', async () => {
    const cacheDir = path.join(dir, 'c-lazy');
    let loads = 0;
    const lazy = {
      versions: testAnalyzers.map((a) => ({ id: a.id, version: a.version })),
      load: async () => (loads++, testAnalyzers),
    };
    const cold = await scanCounting(cacheDir, lazy);
    assert.equal(loads, 1, 'four missed layers load the analyzers once');
    assert.equal(cold.opened.length, 4);
    const warm = await scanCounting(cacheDir, lazy);
    assert.equal(loads, 1, 'a fully cached rescan loads no analyzer');
    assert.deepEqual(warm.opened, []);
    assert.deepEqual(warm.inv, cold.inv);
    // the same cache entries as eager analyzers of the same versions
    const eager = await scanCounting(cacheDir);
    assert.deepEqual(eager.opened, []);
    assert.deepEqual(eager.inv, cold.inv);
  });

  it('a warm rescan opens no layer and yields the same inventory', async () => {
    const cacheDir = path.join(dir, 'c1');
    const cold = await scanCounting(cacheDir);
    assert.equal(cold.opened.length, 4);
    const files = await readdir(path.join(cacheDir, 'layers'));
    assert.equal(files.length, 4);
    assert.ok(files.every((f) => /^[a-f0-9]{64}\.json$/.test(f)));
    const warm = await scanCounting(cacheDir);
    assert.deepEqual(warm.opened, []);
    assert.deepEqual(warm.inv, cold.inv);
  });

  it('keys on diffID plus analyzer versions: a new analyzer version re-walks', async () => {
    const cacheDir = path.join(dir, 'c2');
    await scanCounting(cacheDir);
    const bumped = testAnalyzers.map((a) => (a.id === 'test-npm' ? { ...a, version: a.version + 1 } : a));
    assert.equal((await scanCounting(cacheDir, bumped)).opened.length, 4);
    assert.notEqual(
      layerCacheKey(layers[0]!.diffId, testAnalyzers),
      layerCacheKey(layers[0]!.diffId, bumped),
    );
    assert.equal(
      layerCacheKey('sha256:x', [testAnalyzers[0]!, testAnalyzers[1]!]),
      layerCacheKey('sha256:x', [testAnalyzers[1]!, testAnalyzers[0]!]),
    );
  });

  it('ignores and rewrites corrupt entries', async () => {
    const cacheDir = path.join(dir, 'c3');
    await scanCounting(cacheDir);
    const cache = new LayerCache(cacheDir, testAnalyzers);
    const file = path.join(cache.dir, `${layerCacheKey(layers[1]!.diffId, testAnalyzers)}.json`);
    await writeFile(file, '{"format":1,"result":{"diffId":"sha256:trunc');
    const other = path.join(cache.dir, `${layerCacheKey(layers[2]!.diffId, testAnalyzers)}.json`);
    await writeFile(other, JSON.stringify({ format: 1, result: { diffId: layers[0]!.diffId, outputs: [] } }));
    const again = await scanCounting(cacheDir);
    assert.deepEqual(again.opened.sort(), [layers[1]!.digest, layers[2]!.digest].sort());
    const fixed = JSON.parse(await readFile(file, 'utf8')) as { result: { diffId: string } };
    assert.equal(fixed.result.diffId, layers[1]!.diffId);
  });

  it('never caches a layer whose content does not match the declared diffID', async () => {
    const cacheDir = path.join(dir, 'c4');
    const evil = path.join(dir, 'evil');
    // The image claims layer 0's diffID for different content: nothing may be cached under it.
    await writeOciLayout(evil, [{ layers: [layers[3]!], config: imageConfig([layers[0]!]) }]);
    await assert.rejects(scanCounting(cacheDir, testAnalyzers, evil), { code: 'DIGEST_MISMATCH' });
    const names = await readdir(path.join(cacheDir, 'layers')).catch(() => []);
    assert.deepEqual(names, []);
    const honest = await scanCounting(cacheDir);
    assert.equal(honest.opened.length, 4);
    assert.ok(honest.inv.packages.some((p) => p.name === 'm0'));
  });

  it('is safe with two processes scanning at once on the same cache dir', async () => {
    const cacheDir = path.join(dir, 'c5');
    const worker = path.join(import.meta.dirname, 'cache-worker.ts');
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', worker, layout, cacheDir], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d));
        child.stderr.on('data', (d: Buffer) => (err += d));
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve(out) : reject(new Error(`worker exited ${code}: ${err}`)),
        );
      });
    const [a, b] = await Promise.all([run(), run()]);
    assert.equal(a, b);
    assert.deepEqual(JSON.parse(a), ['m0@0.0.0#0', 'm1@1.0.0#1', 'm2@2.0.0#2', 'm3@3.0.0#3']);
    const names = (await readdir(path.join(cacheDir, 'layers'))).sort();
    assert.equal(names.length, 4, `no temp files left: ${names.join(',')}`);
    for (const n of names) JSON.parse(await readFile(path.join(cacheDir, 'layers', n), 'utf8'));
    assert.deepEqual((await scanCounting(cacheDir)).opened, []);
  });

  it('cleanCache removes layer results and temp downloads, keeps the database', async () => {
    const cacheDir = path.join(dir, 'c6');
    await scanCounting(cacheDir);
    await writeFile(path.join(dir, 'c6', 'keep.txt'), 'x');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.join(cacheDir, 'tmp'), { recursive: true });
    await writeFile(path.join(cacheDir, 'tmp', 'daemon-1.tar'), 'partial');
    await mkdir(path.join(cacheDir, 'db'), { recursive: true });
    await writeFile(path.join(cacheDir, 'db', 'bulwark.db'), 'db');
    const res = await cleanCache(cacheDir);
    assert.equal(res.removed.length, 5);
    assert.ok(res.removed.includes('tmp/daemon-1.tar'));
    assert.ok(res.bytes > 0);
    assert.deepEqual(await readdir(path.join(cacheDir, 'layers')), []);
    assert.equal(await readFile(path.join(cacheDir, 'db', 'bulwark.db'), 'utf8'), 'db');
    assert.deepEqual(await cleanCache(path.join(dir, 'never-created')), { removed: [], bytes: 0 });
  });
});
