import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { walkLayer, normalizeEntryName } from '../../src/image/index.js';
import type { Analyzer } from '../../src/inventory/types.js';
import {
  buildLayer,
  buildTar,
  compress,
  osAnalyzer,
  npmAnalyzer,
  pkgJson,
  sha256,
  testAnalyzers,
} from './helpers.js';

const layer = (digest = 'sha256:' + 'a'.repeat(64)) => ({ index: 0, digest, diffId: '' });

function chunked(buf: Buffer, size = 7000): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size));
  return Readable.from(parts);
}

const ENTRIES = [
  { name: './etc/', type: 'directory' as const },
  { name: './etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
  { name: 'app/node_modules/left-pad/package.json', content: pkgJson('left-pad', '1.3.0') },
  { name: 'app/big.bin', content: Buffer.alloc(300_000, 7) },
  { name: 'usr/share/doc/.wh.gone', content: '' },
  { name: 'var/cache/.wh..wh..opq', content: '' },
  { name: 'usr/lib/os-release', type: 'symlink' as const, linkname: '../../etc/os-release' },
  { name: 'bin/unrelated', type: 'symlink' as const, linkname: '/etc/passwd' },
  { name: 'app/package.json', type: 'link' as const, linkname: 'app/node_modules/left-pad/package.json' },
];

describe('walkLayer', () => {
  for (const kind of ['gzip', 'zstd', 'none'] as const) {
    it(`walks a ${kind} layer: diffID, analyzer outputs, whiteouts, opaque dirs, links`, async () => {
      const built = await buildLayer(ENTRIES, kind);
      const r = await walkLayer(chunked(built.blob), layer(built.digest), testAnalyzers);
      assert.equal(r.diffId, built.diffId);
      assert.deepEqual(
        r.outputs.map((o) => [o.analyzerId, o.path]),
        [
          ['test-os', 'etc/os-release'],
          ['test-npm', 'app/node_modules/left-pad/package.json'],
        ],
      );
      assert.deepEqual(r.outputs[0]!.output.os, { family: 'debian', name: 'debian', version: '12' });
      assert.deepEqual(r.whiteouts, ['usr/share/doc/gone']);
      assert.deepEqual(r.opaqueDirs, ['var/cache']);
      assert.deepEqual(r.links, [
        { path: 'usr/lib/os-release', target: '../../etc/os-release', hard: false },
        { path: 'app/package.json', target: 'app/node_modules/left-pad/package.json', hard: true },
      ]);
      assert.deepEqual(JSON.parse(JSON.stringify(r)), r, 'LayerResult is JSON-serialisable');
    });
  }

  it('decodes zstd with the pure-JS fallback too', async () => {
    const built = await buildLayer(ENTRIES, 'zstd');
    const r = await walkLayer(chunked(built.blob), layer(), testAnalyzers, { forceJsZstd: true });
    assert.equal(r.diffId, built.diffId);
    assert.equal(r.outputs.length, 2);
  });

  it('buffers only required files and hands each analyzer only what it asked for', async () => {
    const seen: string[] = [];
    const spy: Analyzer = {
      id: 'spy',
      version: 1,
      kind: 'lang',
      required: (p, size) => p.startsWith('app/') && size < 1000,
      analyze: (f) => (seen.push(`${f.path}:${f.size}`), {}),
    };
    const built = await buildLayer(ENTRIES, 'gzip');
    await walkLayer(chunked(built.blob), layer(), [spy]);
    assert.deepEqual(seen, [`app/node_modules/left-pad/package.json:${pkgJson('left-pad', '1.3.0').length}`]);
  });

  it('turns a failing analyzer into a warning for that file, not a failed layer', async () => {
    const built = await buildLayer(
      [
        { name: 'etc/os-release', content: 'NAME=broken\n' },
        { name: 'x/package.json', content: pkgJson('x', '1.0.0') },
      ],
      'gzip',
    );
    const r = await walkLayer(chunked(built.blob), layer(), [osAnalyzer, npmAnalyzer]);
    assert.equal(r.outputs.length, 2);
    const failed = r.outputs.find((o) => o.analyzerId === 'test-os')!;
    assert.equal(failed.output.warnings?.[0]?.code, 'ANALYZER_FAILED');
    assert.match(failed.output.warnings?.[0]?.input ?? '', /etc\/os-release$/);
    assert.equal(r.outputs.find((o) => o.analyzerId === 'test-npm')!.output.packages?.[0]?.name, 'x');
  });

  it('rejects entries escaping the root with PATH_TRAVERSAL naming layer and entry', async () => {
    for (const name of ['../../etc/passwd', 'a/../../b', '/etc/shadow']) {
      const t = await buildTar([
        { name: 'ok', content: 'x' },
        { name, content: 'evil' },
      ]);
      await assert.rejects(
        walkLayer(chunked(gzipSync(t)), layer(), testAnalyzers),
        (e: Error & { code?: string; input?: string }) => {
          assert.equal(e.code, 'PATH_TRAVERSAL', name);
          assert.ok(e.input?.includes('sha256:aaaa') && e.input.includes(name), e.input);
          return true;
        },
      );
    }
    const hard = await buildTar([{ name: 'etc/os-release', type: 'link', linkname: '../../host' }]);
    await assert.rejects(walkLayer(chunked(hard), layer(), testAnalyzers), { code: 'PATH_TRAVERSAL' });
  });

  it('normalises entry names cheaply', () => {
    assert.equal(normalizeEntryName('./etc/os-release'), 'etc/os-release');
    assert.equal(normalizeEntryName('etc/'), 'etc');
    assert.equal(normalizeEntryName('./'), '');
    assert.equal(normalizeEntryName('a//b/./c'), 'a/b/c');
    assert.equal(normalizeEntryName('a/..b/c'), 'a/..b/c');
    assert.equal(normalizeEntryName('a/../b'), null);
    assert.equal(normalizeEntryName('/a'), null);
  });

  it('reports truncated gzip, corrupt zstd and truncated tar as MALFORMED_INPUT naming the layer', async () => {
    const t = await buildTar([{ name: 'big', content: Buffer.alloc(200_000, 1) }]);
    const gz = gzipSync(t);
    const zs = compress(t, 'zstd');
    const corruptZstd = Buffer.from(zs);
    corruptZstd.fill(0xff, 20, 60);
    const cases: [string, Buffer, boolean][] = [
      ['truncated gzip', gz.subarray(0, gz.length - 40), false],
      ['corrupt gzip', Buffer.concat([gz.subarray(0, 10), Buffer.alloc(200, 0xaa)]), false],
      ['truncated zstd', zs.subarray(0, zs.length - 10), false],
      ['corrupt zstd', corruptZstd, false],
      ['corrupt zstd (js)', corruptZstd, true],
      ['truncated zstd (js)', zs.subarray(0, zs.length - 10), true],
      ['truncated tar', t.subarray(0, 100_000), false],
      ['garbage tar', Buffer.alloc(4096, 0x41), false],
    ];
    for (const [what, blob, js] of cases) {
      await assert.rejects(
        walkLayer(chunked(blob), layer('sha256:' + 'b'.repeat(64)), testAnalyzers, { forceJsZstd: js }),
        (e: Error & { code?: string; input?: string }) => {
          assert.equal(e.code, 'MALFORMED_INPUT', what);
          assert.equal(e.input, 'sha256:' + 'b'.repeat(64), what);
          return true;
        },
      );
    }
  });

  it('stops a gzip bomb early with LIMIT_EXCEEDED and bounded memory', async () => {
    // 1 GiB of zeros in one tar entry, as 64 concatenated gzip members of 16 MiB zeros (~1 MB total).
    const header = (await buildTar([{ name: 'zeros', content: Buffer.alloc(0) }])).subarray(0, 512);
    const h = Buffer.from(header);
    const sizeField = (1024 * 1024 * 1024).toString(8).padStart(11, '0') + '\0';
    h.write(sizeField, 124, 'ascii');
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
    const zeros = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    const head = gzipSync(h);
    let sent = head.length;
    async function* bomb(): AsyncGenerator<Buffer> {
      yield head;
      for (let i = 0; i < 64; i++) {
        sent += zeros.length;
        yield zeros;
      }
    }
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      await assert.rejects(
        walkLayer(Readable.from(bomb()), layer(), testAnalyzers),
        (e: Error & { code?: string; input?: string }) => {
          assert.equal(e.code, 'LIMIT_EXCEEDED');
          assert.equal(e.input, 'sha256:' + 'a'.repeat(64));
          return true;
        },
      );
    } finally {
      clearInterval(timer);
    }
    assert.ok(sent < head.length + 40 * zeros.length, `stopped early (read ${sent} compressed bytes)`);
    assert.ok(peak - before < 150 * 1024 * 1024, `memory grew by ${(peak - before) >> 20} MiB`);
  });

  it('stops a zstd bomb (concatenated frames) with LIMIT_EXCEEDED, native and pure-JS', async () => {
    const t = await buildTar([{ name: 'zeros', content: Buffer.alloc(64 * 1024 * 1024) }]);
    const header = compress(t.subarray(0, 512), 'zstd');
    const zeros = compress(Buffer.alloc(16 * 1024 * 1024), 'zstd');
    for (const js of [false, true]) {
      async function* bomb(): AsyncGenerator<Buffer> {
        yield header;
        for (let i = 0; i < 64; i++) yield zeros;
      }
      await assert.rejects(
        walkLayer(Readable.from(bomb()), layer(), testAnalyzers, {
          forceJsZstd: js,
          limits: { maxLayerBytes: 2 ** 40 },
        }),
        { code: 'LIMIT_EXCEEDED' },
      );
    }
  });

  it('enforces layer size, entry count and captured-file size limits', async () => {
    const built = await buildLayer(
      [
        { name: 'a', content: Buffer.alloc(50_000) },
        { name: 'b', content: 'x' },
        { name: 'etc/os-release', content: 'ID=debian\n' + 'X'.repeat(5000) },
      ],
      'gzip',
    );
    await assert.rejects(
      walkLayer(chunked(built.blob), layer(), testAnalyzers, { limits: { maxLayerBytes: 20_000 } }),
      {
        code: 'LIMIT_EXCEEDED',
      },
    );
    await assert.rejects(
      walkLayer(chunked(built.blob), layer(), testAnalyzers, { limits: { maxLayerEntries: 2 } }),
      {
        code: 'LIMIT_EXCEEDED',
      },
    );
    // an analyzed file over its bound degrades that file only: a warning, the layer goes on
    const big = await walkLayer(chunked(built.blob), layer(), testAnalyzers, {
      limits: { maxAnalyzedFileBytes: 1000 },
    });
    const skipped = big.outputs.filter((o) => o.path === 'etc/os-release');
    assert.ok(skipped.length > 0);
    for (const o of skipped) {
      assert.equal(o.output.os, undefined);
      assert.equal(o.output.warnings?.[0]?.code, 'FILE_TOO_LARGE');
      assert.match(o.output.warnings?.[0]?.input ?? '', /etc\/os-release/);
    }
    assert.equal(big.diffId, sha256(built.tar));
    const r = await walkLayer(chunked(built.blob), layer(), testAnalyzers);
    assert.equal(r.diffId, sha256(built.tar));
  });
});
