/**
 * Fat jars above `randomAccessThresholdBytes` reach the Java analyzer by offset, not as a Buffer:
 * from the file itself in a root filesystem, from an anonymous spill file inside the cache dir in
 * an image layer. Real jars built with `zip` around Debian's own jars.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_LIMITS, type Limits } from '../../src/core/limits.js';
import type { Inventory } from '../../src/core/types.js';
import { parseJavaArchive } from '../../src/ecosystems/maven/index.js';
import { openOciLayout, scanImageInventory, scanRootfsInventory, walkLayer } from '../../src/image/index.js';
import { javaAnalyzer } from '../../src/inventory/analyzers/java.js';
import type { Analyzer, AnalyzerFile } from '../../src/inventory/types.js';
import {
  buildLayer,
  buildTar,
  imageConfig,
  pkgJson,
  npmAnalyzer,
  testOsEcosystem,
  tmpDir,
  writeOciLayout,
} from './helpers.js';

const JAR = 'opt/app/app.jar';
const BROKEN = 'opt/app/broken-9.9.jar';
const SMALL = 'opt/lib/commons-io-2.11.0.jar';

let dir: string;
let root: string;
let fatJar: Buffer;

/** What the Java analyzer was handed, and which spill files the process held open meanwhile. */
interface Seen {
  path: string;
  bySource: boolean;
  contentBytes: number;
  spills: string[];
}

function openSpillFiles(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (path.basename(target).startsWith('spill-')) out.push(target);
  }
  return out;
}

function spyJava(seen: Seen[]): Analyzer {
  return {
    ...javaAnalyzer,
    analyze(file: AnalyzerFile, ctx) {
      seen.push({
        path: file.path,
        bySource: file.source !== undefined,
        contentBytes: file.content.length,
        spills: openSpillFiles(),
      });
      return javaAnalyzer.analyze(file, ctx);
    },
  };
}

/** Wants every jar and needs it whole: no random access. */
const wholeReader: Analyzer = {
  id: 'whole',
  version: 1,
  kind: 'lang',
  required: (p) => p.endsWith('.jar'),
  analyze: (file) => ({ facts: [{ kind: 'bytes', data: { n: file.content.length } }] }),
};

const pkgLines = (inv: Inventory): string[] =>
  inv.packages.map((p) => `${p.name}@${p.version} ${p.location} ${JSON.stringify(p.metadata)}`).sort();

before(async () => {
  dir = await tmpDir('bulwark-large-');
  const stage = path.join(dir, 'stage');
  await mkdir(path.join(stage, 'BOOT-INF', 'lib'), { recursive: true });
  await mkdir(path.join(stage, 'BOOT-INF', 'classes'), { recursive: true });
  await mkdir(path.join(stage, 'META-INF', 'maven', 'com.example', 'fat-app'), { recursive: true });
  await writeFile(
    path.join(stage, 'META-INF', 'maven', 'com.example', 'fat-app', 'pom.properties'),
    'groupId=com.example\nartifactId=fat-app\nversion=1.0.0\n',
  );
  for (const j of ['guava-31.1-jre.jar', 'commons-io-2.11.0.jar', 'commons-lang3-3.12.0.jar'])
    await copyFile(path.join('/usr/share/java', j), path.join(stage, 'BOOT-INF', 'lib', j));
  // incompressible class data: the jar ends up ~13 MB, above the 8 MiB default threshold
  execFileSync('sh', ['-c', 'head -c 9437184 /dev/urandom > BOOT-INF/classes/Blob.class'], { cwd: stage });
  const jar = path.join(dir, 'app.jar');
  execFileSync('zip', ['-qr', jar, 'META-INF', 'BOOT-INF/classes'], { cwd: stage });
  execFileSync('zip', ['-qr0', jar, 'BOOT-INF/lib'], { cwd: stage });
  fatJar = await readFile(jar);
  assert.ok(fatJar.length > DEFAULT_LIMITS.randomAccessThresholdBytes, `${fatJar.length}`);

  root = path.join(dir, 'rootfs');
  await mkdir(path.join(root, 'opt', 'app'), { recursive: true });
  await mkdir(path.join(root, 'opt', 'lib'), { recursive: true });
  await writeFile(path.join(root, JAR), fatJar);
  // the same jar cut short: no central directory
  await writeFile(path.join(root, BROKEN), fatJar.subarray(0, fatJar.length - 200_000));
  await copyFile('/usr/share/java/commons-io-2.11.0.jar', path.join(root, SMALL));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('large jars in a root filesystem', () => {
  it('are read by offset and yield the same packages and warnings as from memory', async () => {
    const seen: Seen[] = [];
    const bySource = await scanRootfsInventory(root, {
      analyzers: [spyJava(seen)],
      osEcosystem: testOsEcosystem,
    });
    const inMemory = await scanRootfsInventory(root, {
      analyzers: [javaAnalyzer],
      osEcosystem: testOsEcosystem,
      limits: { randomAccessThresholdBytes: 1 << 30, maxAnalyzedFileBytes: 1 << 30 },
    });
    const byPath = new Map(seen.map((s) => [s.path, s]));
    assert.deepEqual(byPath.get(JAR)?.bySource, true);
    assert.equal(byPath.get(JAR)?.contentBytes, 0);
    assert.equal(byPath.get(BROKEN)?.bySource, true);
    // small files are still handed over whole
    assert.equal(byPath.get(SMALL)?.bySource, false);

    assert.deepEqual(pkgLines(bySource), pkgLines(inMemory));
    assert.deepEqual(bySource.warnings, inMemory.warnings);
    const lines = pkgLines(bySource);
    assert.equal(
      JSON.stringify(parseJavaArchive(fatJar, JAR).packages.length),
      String(lines.filter((l) => l.includes(` ${JAR}`)).length),
    );
    for (const want of [
      `com.example:fat-app@1.0.0 ${JAR} {"source":"pom.properties"}`,
      `com.google.guava:guava@31.1-jre ${JAR}!/BOOT-INF/lib/guava-31.1-jre.jar {"source":"pom.properties"}`,
      `commons-io:commons-io@2.11.0 ${SMALL} {"source":"pom.properties"}`,
      // the damaged jar still names what was shipped, as it does when read from memory
      `broken:broken@9.9 ${BROKEN} {"source":"filename","groupIdGuessed":true}`,
    ])
      assert.ok(lines.includes(want), `${want}\n${lines.join('\n')}`);
    assert.deepEqual(
      bySource.warnings.map((w) => `${w.code} ${w.input}`),
      [`JAVA_MALFORMED_INPUT ${BROKEN}`],
    );
  });

  it('lets random-access analyzers read beyond maxAnalyzedFileBytes, up to their own bound', async () => {
    const limits: Partial<Limits> = { maxAnalyzedFileBytes: 4 * 1024 * 1024 };
    const inv = await scanRootfsInventory(root, {
      analyzers: [javaAnalyzer, wholeReader],
      osEcosystem: testOsEcosystem,
      limits,
    });
    assert.ok(pkgLines(inv).some((l) => l.startsWith(`com.google.guava:guava@31.1-jre ${JAR}!/`)));
    // the analyzer that needs the whole file is refused the big ones, with the usual warning
    const tooLarge = inv.warnings.filter((w) => w.code === 'FILE_TOO_LARGE').map((w) => w.input);
    assert.deepEqual(tooLarge.sort(), [path.join(root, JAR), path.join(root, BROKEN)]);

    const bounded = await scanRootfsInventory(root, {
      analyzers: [javaAnalyzer],
      osEcosystem: testOsEcosystem,
      limits: { ...limits, maxRandomAccessFileBytes: 8 * 1024 * 1024 },
    });
    assert.deepEqual(bounded.warnings.map((w) => `${w.code} ${w.input}`).sort(), [
      `FILE_TOO_LARGE ${path.join(root, JAR)}`,
      `FILE_TOO_LARGE ${path.join(root, BROKEN)}`,
    ]);
    assert.deepEqual(pkgLines(bounded), [
      `commons-io:commons-io@2.11.0 ${SMALL} {"source":"pom.properties"}`,
    ]);
  });
});

describe('large jars in an image layer', () => {
  let layout: string;
  let cacheDir: string;

  before(async () => {
    layout = path.join(dir, 'oci');
    cacheDir = path.join(dir, 'cache');
    const entries = [
      { name: 'opt/app/app.jar', content: fatJar },
      { name: 'opt/app/broken-9.9.jar', content: fatJar.subarray(0, fatJar.length - 200_000) },
      {
        name: 'opt/lib/commons-io-2.11.0.jar',
        content: readFileSync('/usr/share/java/commons-io-2.11.0.jar'),
      },
      { name: 'app/node_modules/left-pad/package.json', content: pkgJson('left-pad', '1.3.0') },
    ];
    const l = await buildLayer(entries);
    await writeOciLayout(layout, [{ layers: [l], config: imageConfig([l]), tag: 'v1' }]);
  });

  async function scan(
    opts: { cacheDir?: string; limits?: Partial<Limits> },
    seen: Seen[],
  ): Promise<Inventory> {
    const source = await openOciLayout(layout);
    try {
      return await scanImageInventory(source, {
        analyzers: [spyJava(seen), npmAnalyzer],
        osEcosystem: testOsEcosystem,
        ...opts,
      });
    } finally {
      await source.close();
    }
  }

  it('spills a big entry to the cache dir only, reads it by offset and leaves nothing behind', async () => {
    const seen: Seen[] = [];
    const spilled = await scan({ cacheDir }, seen);
    const big = seen.find((s) => s.path === JAR);
    assert.equal(big?.bySource, true);
    assert.equal(big?.contentBytes, 0);
    // while analyzed, the one spill file open lives in <cacheDir>/tmp and is already unlinked
    assert.equal(big?.spills.length, 1);
    assert.equal(big?.spills[0], `${path.join(cacheDir, 'tmp', path.basename(big?.spills[0] ?? ''))}`);
    assert.match(big?.spills[0] ?? '', / \(deleted\)$/);
    assert.equal(seen.find((s) => s.path === SMALL)?.bySource, false);
    assert.deepEqual(await readdir(path.join(cacheDir, 'tmp')), []);
    assert.deepEqual(openSpillFiles(), []);

    const memSeen: Seen[] = [];
    // without a cache dir there is nowhere to spill: buffered as before this existed
    const inMemory = await scan({}, memSeen);
    assert.equal(memSeen.find((s) => s.path === JAR)?.bySource, false);
    assert.deepEqual(pkgLines(spilled), pkgLines(inMemory));
    assert.deepEqual(spilled.warnings, inMemory.warnings);
    const lines = pkgLines(spilled);
    for (const want of [
      `com.google.guava:guava@31.1-jre ${JAR}!/BOOT-INF/lib/guava-31.1-jre.jar {"source":"pom.properties"}`,
      `broken:broken@9.9 ${BROKEN} {"source":"filename","groupIdGuessed":true}`,
      'left-pad@1.3.0 app/node_modules/left-pad/package.json undefined',
    ])
      assert.ok(lines.includes(want), `${want}\n${lines.join('\n')}`);
    assert.deepEqual(
      spilled.warnings.map((w) => `${w.code} ${w.input}`),
      [`JAVA_MALFORMED_INPUT ${BROKEN}`],
    );
  });

  it('bounds spilled entries with FILE_TOO_LARGE and keeps scanning the layer', async () => {
    const seen: Seen[] = [];
    const inv = await scan(
      { cacheDir: path.join(dir, 'cache-bounded'), limits: { maxRandomAccessFileBytes: 8 * 1024 * 1024 } },
      seen,
    );
    assert.deepEqual(
      seen.map((s) => s.path),
      [SMALL],
    );
    assert.deepEqual(
      inv.warnings.map((w) => w.code),
      ['FILE_TOO_LARGE', 'FILE_TOO_LARGE'],
    );
    assert.ok(pkgLines(inv).includes('left-pad@1.3.0 app/node_modules/left-pad/package.json undefined'));
  });

  it('closes the spill when the layer ends inside the spilled entry', async () => {
    const spillDir = path.join(dir, 'cache-cut', 'tmp');
    const seen: Seen[] = [];
    // an uncompressed tar cut 1 MB into the fat jar's data
    const cut = (await buildTar([{ name: 'opt/app/app.jar', content: fatJar }])).subarray(
      0,
      512 + 1024 * 1024,
    );
    await assert.rejects(
      walkLayer(
        Readable.from([cut]),
        { index: 0, digest: 'sha256:' + 'c'.repeat(64), diffId: '' },
        [spyJava(seen)],
        {
          spillDir,
        },
      ),
      (e: Error & { code?: string }) => e.code === 'MALFORMED_INPUT',
    );
    assert.deepEqual(seen, []);
    assert.deepEqual(await readdir(spillDir), []);
    assert.deepEqual(openSpillFiles(), []);
  });

  it('analyzes a spilled entry under a symlink that points to it from earlier in the layer', async () => {
    // wants the link's path only, so the walker carries the target's bytes over to it
    const tail: Analyzer = {
      id: 'tail',
      version: 1,
      kind: 'lang',
      randomAccess: true,
      required: (p) => p === 'opt/current',
      analyze: (file) => ({
        facts: [
          {
            kind: 'tail',
            data: {
              bySource: file.source !== undefined,
              size: file.size,
              last: (file.source?.read(file.size - 22, 4) ?? file.content.subarray(-22, -18)).toString('hex'),
            },
          },
        ],
      }),
    };
    const t = await buildTar([
      { name: 'opt/current', type: 'symlink', linkname: 'app/app.jar' },
      { name: 'opt/app/app.jar', content: fatJar },
    ]);
    const spillDir = path.join(dir, 'cache-alias', 'tmp');
    const res = await walkLayer(
      Readable.from([t]),
      { index: 0, digest: 'sha256:' + 'd'.repeat(64), diffId: '' },
      [tail, javaAnalyzer],
      { spillDir },
    );
    const facts = res.outputs.filter((o) => o.analyzerId === 'tail');
    assert.deepEqual(
      facts.map((o) => [o.path, o.output.facts?.[0]?.data]),
      [['opt/current', { bySource: true, size: fatJar.length, last: '504b0506' }]],
    );
    assert.ok(
      res.outputs.some((o) => o.analyzerId === 'java' && o.path === JAR && o.output.packages?.length),
    );
    assert.deepEqual(await readdir(spillDir), []);
  });

  it('falls back to memory, or warns, when the spill directory cannot be made', async () => {
    const notADir = path.join(dir, 'plain-file');
    await writeFile(notADir, 'x');
    const t = await buildTar([{ name: 'opt/app/app.jar', content: fatJar }]);
    const walk = (limits: Partial<Limits>) =>
      walkLayer(
        Readable.from([t]),
        { index: 0, digest: 'sha256:' + 'e'.repeat(64), diffId: '' },
        [javaAnalyzer],
        {
          spillDir: path.join(notADir, 'tmp'),
          limits,
        },
      );
    const buffered = await walk({});
    assert.ok((buffered.outputs[0]?.output.packages?.length ?? 0) > 1);
    const refused = await walk({ maxAnalyzedFileBytes: 4 * 1024 * 1024 });
    assert.deepEqual(
      refused.outputs.map((o) => o.output.warnings?.map((w) => w.code)),
      [['UNREADABLE']],
    );
  });
});
