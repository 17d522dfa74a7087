import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { fileSource } from '../../core/byte-source.js';
import { goBinaryAnalyzer } from '../../inventory/analyzers/go-binary.js';
import { readGoBuildInfo } from './buildinfo.js';
import { parseGoModinfo } from './parse.js';

const GO = '/usr/bin/go';
let dir = '';
let binary = '';

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/**
 * A real module build without network: a file:// GOPROXY serves `example.com/fork v1.3.0` (the
 * module replacement), `../local` is a directory replacement, and the main module is tagged
 * through -ldflags-free `go build` (Go 1.19 writes `(devel)` for it).
 */
function buildFixture(): string {
  const proxy = path.join(dir, 'proxy');
  const fork = path.join(dir, 'src', 'example.com', 'fork@v1.3.0');
  write(path.join(fork, 'go.mod'), 'module example.com/fork\n\ngo 1.19\n');
  write(path.join(fork, 'fork.go'), 'package fork\n\nfunc Name() string { return "fork" }\n');
  const at = path.join(proxy, 'example.com', 'fork', '@v');
  mkdirSync(at, { recursive: true });
  writeFileSync(path.join(at, 'list'), 'v1.3.0\n');
  writeFileSync(path.join(at, 'v1.3.0.info'), '{"Version":"v1.3.0","Time":"2024-01-01T00:00:00Z"}\n');
  writeFileSync(path.join(at, 'v1.3.0.mod'), 'module example.com/fork\n\ngo 1.19\n');
  execFileSync('zip', ['-qr', path.join(at, 'v1.3.0.zip'), 'example.com/fork@v1.3.0'], {
    cwd: path.join(dir, 'src'),
  });

  write(path.join(dir, 'local', 'go.mod'), 'module example.org/local/v2\n\ngo 1.19\n');
  write(path.join(dir, 'local', 'l.go'), 'package local\n\nfunc N() int { return 2 }\n');
  write(
    path.join(dir, 'app', 'go.mod'),
    [
      'module example.com/app',
      '',
      'go 1.19',
      '',
      'require (',
      '\texample.com/upstream v1.0.0',
      '\texample.org/local/v2 v2.0.1',
      ')',
      '',
      'replace example.com/upstream v1.0.0 => example.com/fork v1.3.0',
      '',
      'replace example.org/local/v2 => ../local',
      '',
    ].join('\n'),
  );
  write(
    path.join(dir, 'app', 'main.go'),
    'package main\n\nimport (\n\t"fmt"\n\n\tfork "example.com/upstream"\n\t"example.org/local/v2"\n)\n\nfunc main() { fmt.Println(fork.Name(), local.N()) }\n',
  );
  const out = path.join(dir, 'app.bin');
  execFileSync(GO, ['build', '-o', out, '.'], {
    cwd: path.join(dir, 'app'),
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      GOPROXY: `file://${proxy}`,
      GOFLAGS: '-mod=mod',
      GONOSUMDB: '*',
      GONOSUMCHECK: '1',
      GOSUMDB: 'off',
      GOCACHE: path.join(dir, 'cache'),
      GOPATH: path.join(dir, 'gopath'),
      GOTOOLCHAIN: 'local',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return out;
}

/** What `go version -m` reports, as [path, version] per mod/dep line with replacements applied. */
function goVersionM(file: string): { goVersion: string; modules: string[] } {
  const text = execFileSync(GO, ['version', '-m', file], { encoding: 'utf8' });
  const lines = text.split('\n');
  const goVersion = lines[0]!.split(': ')[1]!.trim();
  const modules: string[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split('\t');
    if (f[0] === 'dep') modules.push(`${f[1]}@${f[2]}`);
    if (f[0] === '=>' && !f[1]!.startsWith('.')) modules[modules.length - 1] = `${f[1]}@${f[2]}`;
  }
  return { goVersion, modules };
}

let spilled = 0;

/**
 * The analyzer's output from memory, checked against the same file read by offset (as the walkers
 * hand over binaries above `randomAccessThresholdBytes`): both must say exactly the same.
 */
function analyze(file: string, content?: Buffer) {
  const bytes = content ?? readFileSync(file);
  const ctx = { maxBytes: 64 * 1024 * 1024 };
  const fromMemory = goBinaryAnalyzer.analyze(
    { path: file, content: bytes, size: bytes.length, mode: 0o755 },
    ctx,
  );
  let onDisk = file;
  if (content) {
    onDisk = path.join(dir, `by-offset-${spilled++}`);
    writeFileSync(onDisk, content);
  }
  const fd = openSync(onDisk, 'r');
  try {
    const byOffset = goBinaryAnalyzer.analyze(
      {
        path: file,
        content: Buffer.alloc(0),
        size: bytes.length,
        mode: 0o755,
        source: fileSource(fd, bytes.length),
      },
      ctx,
    );
    assert.deepEqual(byOffset, fromMemory, `${file} read by offset`);
  } finally {
    closeSync(fd);
  }
  return fromMemory;
}

describe('Go build info from real binaries', () => {
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bulwark-go-'));
    binary = buildFixture();
  });
  after(() => {
    // the module cache is read-only by design
    execFileSync('chmod', ['-R', 'u+w', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads what `go version -m` prints for a module build with replacements', () => {
    const blob = readGoBuildInfo(readFileSync(binary));
    assert.ok(blob);
    const info = parseGoModinfo(blob.goVersion, blob.modinfo);
    const ref = goVersionM(binary);
    assert.equal(blob.goVersion, ref.goVersion);
    assert.equal(info.path, 'example.com/app');
    assert.equal(info.main?.version, '(devel)');
    assert.deepEqual(info.problems, []);
    assert.equal(info.settings.GOOS, 'linux');
    const ours = info.deps.filter((d) => !d.localReplacement).map((d) => `${d.path}@${d.version}`);
    assert.deepEqual(
      ours,
      ref.modules.filter((m) => !m.startsWith('example.org/local')),
    );
  });

  it('emits replaced modules under the replacement, local replacements under the original, and stdlib', () => {
    const out = analyze(binary);
    assert.equal(out.warnings, undefined);
    const pkgs = out.packages!;
    const byName = new Map(pkgs.map((p) => [p.name, p]));
    assert.equal(byName.get('example.com/app'), undefined, '(devel) main module is skipped');
    const fork = byName.get('example.com/fork')!;
    assert.equal(fork.version, 'v1.3.0');
    assert.equal(fork.purl, 'pkg:golang/example.com/fork@v1.3.0');
    assert.equal(fork.metadata?.replaces, 'example.com/upstream@v1.0.0');
    const local = byName.get('example.org/local/v2')!;
    assert.equal(local.version, 'v2.0.1');
    assert.equal(local.metadata?.localReplacement, '../local');
    const std = byName.get('stdlib')!;
    assert.equal(`go${std.version}`, goVersionM(binary).goVersion);
    assert.equal(std.purl, `pkg:golang/stdlib@${std.version}`);
    assert.equal(std.ecosystem, 'Go');
    assert.equal(pkgs.length, 3);
  });

  it('agrees with `go version -m` on the Go binaries Debian ships', () => {
    const candidates = [
      '/usr/bin/docker-registry',
      '/usr/bin/skopeo',
      '/usr/bin/umoci',
      '/usr/lib/go-1.19/bin/go',
    ];
    let checked = 0;
    for (const file of candidates.filter((f) => existsSync(f))) {
      const ref = goVersionM(file);
      const out = analyze(file);
      assert.equal(out.warnings, undefined, file);
      const std = out.packages!.find((p) => p.name === 'stdlib');
      assert.equal(`go${std?.version}`, ref.goVersion, file);
      const deps = out.packages!.filter((p) => p.name !== 'stdlib').map((p) => `${p.name}@${p.version}`);
      assert.deepEqual(deps, ref.modules, file);
      checked++;
    }
    assert.ok(checked >= 2, 'docker-registry, skopeo, umoci or go must be installed');
  });

  it('reads Mach-O and PE builds (recorded fixtures) as `go version -m` does', () => {
    for (const [fixture, arch] of [
      ['xapp-darwin-arm64.gz', 'arm64'],
      ['xapp-windows-amd64.exe.gz', 'amd64'],
    ] as const) {
      const content = gunzipSync(readFileSync(new URL(`./__fixtures__/${fixture}`, import.meta.url)));
      const file = path.join(dir, fixture.slice(0, -3));
      writeFileSync(file, content, { mode: 0o755 });
      const ref = goVersionM(file);
      const out = analyze(file, content);
      assert.equal(out.warnings, undefined, fixture);
      assert.deepEqual(
        out.packages!.map((p) => `${p.name}@${p.version}`),
        [...ref.modules, `stdlib@${ref.goVersion.slice(2)}`],
        fixture,
      );
      assert.equal(out.packages!.at(-1)?.arch, arch, fixture);
      assert.equal(out.packages![0]!.metadata?.localReplacement, '../dep', fixture);
    }
  });

  it('finds the linker blob, not the magic constant the go command itself contains', () => {
    const go = readFileSync('/usr/lib/go-1.19/bin/go');
    const magic = Buffer.from('\xff Go buildinf:', 'latin1');
    assert.ok(go.indexOf(magic, go.indexOf(magic) + 1) > 0, 'the go binary holds the magic twice');
    assert.equal(readGoBuildInfo(go)?.goVersion, goVersionM('/usr/lib/go-1.19/bin/go').goVersion);
  });

  it('ignores non-Go executables and non-executables', () => {
    assert.deepEqual(analyze('/bin/ls'), {});
    assert.deepEqual(analyze('x.sh', Buffer.from('#!/bin/sh\necho hi\n'.repeat(10))), {});
    assert.equal(goBinaryAnalyzer.required('usr/bin/app', 2_000_000, 0o100644), false);
    assert.equal(goBinaryAnalyzer.required('usr/bin/app', 2_000_000, 0o100755), true);
    assert.equal(goBinaryAnalyzer.required('usr/bin/app', 2_000_000), false, 'links carry no mode');
    assert.equal(goBinaryAnalyzer.required('usr/bin/app', 10, 0o755), false);
    // read by offset: beyond maxAnalyzedFileBytes (64 MiB), up to 256 MiB
    assert.equal(goBinaryAnalyzer.required('usr/bin/app', 200 * 1024 * 1024, 0o755), true);
    assert.equal(goBinaryAnalyzer.required('usr/bin/app', 300 * 1024 * 1024, 0o755), false);
  });

  it('finds build info by its magic when the section headers are gone', () => {
    const noHeaders = Buffer.from(readFileSync(binary));
    noHeaders.writeBigUInt64LE(0n, 0x28); // e_shoff
    noHeaders.writeUInt16LE(0, 0x3c); // e_shnum
    assert.deepEqual(
      analyze('stripped', noHeaders).packages,
      analyze(binary).packages!.map((p) => ({ ...p, location: 'stripped' })),
    );
  });

  it('finds the magic across the windows of a search by offset', () => {
    const noHeaders = Buffer.from(readFileSync(binary));
    noHeaders.writeBigUInt64LE(0n, 0x28); // e_shoff
    noHeaders.writeUInt16LE(0, 0x3c); // e_shnum
    const at = noHeaders.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));
    // the blob moved to straddle the 4 MiB boundary between two search windows
    const moved = Buffer.alloc(4 * 1024 * 1024 + 64 * 1024);
    noHeaders.copy(moved, 0, 0, 64);
    noHeaders.copy(moved, 4 * 1024 * 1024 - 7, at, at + 32 * 1024);
    assert.deepEqual(
      analyze('moved', moved).packages,
      analyze(binary).packages!.map((p) => ({ ...p, location: 'moved' })),
    );
  });

  it('warns about corrupt build info instead of throwing: truncated file, lying lengths', () => {
    const buf = readFileSync(binary);
    const at = buf.indexOf(Buffer.from('\xff Go buildinf:', 'latin1'));
    assert.ok(at > 0);

    const truncated = buf.subarray(0, at + 20);
    const t = analyze('truncated', truncated);
    assert.equal(t.warnings?.[0]?.code, 'GO_BUILDINFO_MALFORMED');
    assert.equal(t.warnings?.[0]?.input, 'truncated');

    const lying = Buffer.from(buf);
    // version length varint -> 2^35: far beyond the file
    lying.set([0xff, 0xff, 0xff, 0xff, 0x7f], at + 32);
    const l = analyze('lying', lying);
    assert.equal(l.warnings?.[0]?.code, 'GO_BUILDINFO_MALFORMED');
    assert.equal(l.packages, undefined);

    const endless = Buffer.from(buf);
    endless.fill(0xff, at + 32, at + 48); // a varint that never ends
    assert.equal(analyze('endless', endless).warnings?.[0]?.code, 'GO_BUILDINFO_MALFORMED');

    const badVersion = Buffer.from(buf);
    badVersion.write('xx', at + 33, 'latin1'); // version no longer starts with "go"
    assert.equal(analyze('bad-version', badVersion).warnings?.[0]?.code, 'GO_BUILDINFO_MALFORMED');
  });

  it('reads the pre-1.18 pointer format through the ELF load segments', () => {
    const elf = pointerFormatElf(
      'go1.16.15',
      'path\texample.com/old\nmod\texample.com/old\tv0.3.0\t\ndep\tgolang.org/x/text\tv0.3.7\th1:x\ndep\tlocal.dev/wip\t(devel)\t\n',
    );
    const out = analyze('old.bin', elf);
    assert.equal(out.warnings, undefined);
    assert.deepEqual(
      out.packages!.map((p) => `${p.name}@${p.version}`),
      ['example.com/old@v0.3.0', 'golang.org/x/text@v0.3.7', 'stdlib@1.16.15'],
    );
  });
});

/**
 * A minimal little-endian ELF64 with one PT_LOAD segment mapping the whole file at 0x400000 and a
 * `.go.buildinfo` section in the Go <= 1.17 layout: header, then pointers to two string headers.
 */
function pointerFormatElf(goVersion: string, modinfo: string): Buffer {
  const base = 0x400000;
  const buf = Buffer.alloc(0x1000);
  buf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  buf.writeUInt16LE(2, 16); // ET_EXEC
  buf.writeUInt16LE(62, 18); // x86-64
  buf.writeBigUInt64LE(0x40n, 0x20); // phoff
  buf.writeBigUInt64LE(0x800n, 0x28); // shoff
  buf.writeUInt16LE(56, 0x36);
  buf.writeUInt16LE(1, 0x38);
  buf.writeUInt16LE(64, 0x3a);
  buf.writeUInt16LE(3, 0x3c);
  buf.writeUInt16LE(2, 0x3e); // shstrndx
  // PT_LOAD covering the file
  buf.writeUInt32LE(1, 0x40);
  buf.writeBigUInt64LE(0n, 0x48);
  buf.writeBigUInt64LE(BigInt(base), 0x50);
  buf.writeBigUInt64LE(0x1000n, 0x60);
  // build info at 0x200: magic, ptrSize 8, flags 0 (little endian, pointer format)
  const bi = 0x200;
  buf.write('\xff Go buildinf:', bi, 'latin1');
  buf[bi + 14] = 8;
  buf[bi + 15] = 0;
  buf.writeBigUInt64LE(BigInt(base + 0x300), bi + 16);
  buf.writeBigUInt64LE(BigInt(base + 0x310), bi + 24);
  const sentinel = '0w\xaf\x0c\x92t\x08\x02A\xe1\xc1\x07\xe6\xd6\x18\xe6';
  const wrapped = Buffer.concat([
    Buffer.from(sentinel, 'latin1'),
    Buffer.from(modinfo),
    Buffer.from('\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2', 'latin1'),
  ]);
  buf.write(goVersion, 0x400, 'latin1');
  wrapped.copy(buf, 0x500);
  buf.writeBigUInt64LE(BigInt(base + 0x400), 0x300);
  buf.writeBigUInt64LE(BigInt(goVersion.length), 0x308);
  buf.writeBigUInt64LE(BigInt(base + 0x500), 0x310);
  buf.writeBigUInt64LE(BigInt(wrapped.length), 0x318);
  // section names
  const names = '\0.go.buildinfo\0.shstrtab\0';
  buf.write(names, 0x700, 'latin1');
  const sh = (i: number, name: number, type: number, off: number, size: number): void => {
    const o = 0x800 + i * 64;
    buf.writeUInt32LE(name, o);
    buf.writeUInt32LE(type, o + 4);
    buf.writeBigUInt64LE(BigInt(base + off), o + 16);
    buf.writeBigUInt64LE(BigInt(off), o + 24);
    buf.writeBigUInt64LE(BigInt(size), o + 32);
  };
  sh(1, 1, 1, bi, 0x20);
  sh(2, 15, 3, 0x700, names.length);
  return buf;
}
