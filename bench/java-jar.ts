/**
 * Peak memory while inventorying a ~200 MB fat jar with nested jars (issue target: under 200 MB).
 * Runs in its own process (bench/child.ts) so maxRSS is this scan's alone; the jar is built by
 * `zip` and `head` in subprocesses so building it costs this process nothing. Nested jars are
 * Debian's real jars from /usr/share/java, stored uncompressed as Spring Boot does, next to
 * deflated incompressible "classes" that the analyzer must skip without inflating.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, openSync } from 'node:fs';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { scanRootfsInventory } from '../src/image/index.js';
import { fileSource, parseJavaArchive } from '../src/ecosystems/maven/index.js';
import { createJavaAnalyzer } from '../src/inventory/analyzers/java.js';
import { osEcosystem } from '../src/inventory/index.js';
import { WORK } from './build-image.js';
import type { BenchResult } from './run.js';

const ROOT = path.join(WORK, 'java-jar');
const JAR = path.join(ROOT, 'rootfs', 'opt', 'app', 'app.jar');
const TARGET_BYTES = 200 * 1024 * 1024;
const BOUND_MB = 200;

function sh(cmd: string, args: string[], cwd?: string): void {
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Builds the fat jar once (cached under bench/.work); returns the number of nested jars. */
export function buildFatJar(): number {
  const marker = path.join(ROOT, 'nested-count');
  if (existsSync(JAR) && existsSync(marker))
    return Number(execFileSync('cat', [marker], { encoding: 'utf8' }));
  rmSync(ROOT, { recursive: true, force: true });
  const stage = path.join(ROOT, 'stage');
  const lib = path.join(stage, 'BOOT-INF', 'lib');
  const classes = path.join(stage, 'BOOT-INF', 'classes');
  mkdirSync(lib, { recursive: true });
  mkdirSync(classes, { recursive: true });
  mkdirSync(path.dirname(JAR), { recursive: true });
  const real = [
    ...new Set(
      readdirSync('/usr/share/java')
        .filter((f) => f.endsWith('.jar'))
        .map((f) => realpathSync(path.join('/usr/share/java', f))),
    ),
  ].sort();
  // Eight copies of every real jar (~90 MB), as if eight services were shaded together.
  let nested = 0;
  for (let copy = 0; copy < 8; copy++) {
    for (const f of real) {
      copyFileSync(f, path.join(lib, `c${copy}-${path.basename(f)}`));
      nested++;
    }
  }
  // a jar in a jar, as Spring Boot loaders and EAR modules make
  const wrap = path.join(ROOT, 'wrap');
  mkdirSync(path.join(wrap, 'lib'), { recursive: true });
  copyFileSync(real[0]!, path.join(wrap, 'lib', path.basename(real[0]!)));
  sh('zip', ['-qr', path.join(lib, 'wrapper-1.0.jar'), 'lib'], wrap);
  nested += 2;
  const pom = path.join(stage, 'META-INF', 'maven', 'com.example', 'fat-app');
  mkdirSync(pom, { recursive: true });
  writeFileSync(path.join(pom, 'pom.properties'), 'groupId=com.example\nartifactId=fat-app\nversion=1.0.0\n');
  let size = 0;
  for (const f of readdirSync(lib)) size += statSync(path.join(lib, f)).size;
  // incompressible class data up to ~200 MB, deflated by zip (it stays the same size)
  for (let i = 0; size < TARGET_BYTES - 1024 * 1024; i++) {
    const n = Math.min(4 * 1024 * 1024, TARGET_BYTES - size);
    sh('sh', ['-c', `head -c ${n} /dev/urandom > ${path.join(classes, `blob${i}.class`)}`]);
    size += n;
  }
  sh('zip', ['-qr', JAR, 'META-INF', 'BOOT-INF/classes'], stage);
  sh('zip', ['-qr0', JAR, 'BOOT-INF/lib'], stage);
  rmSync(stage, { recursive: true, force: true });
  rmSync(wrap, { recursive: true, force: true });
  writeFileSync(marker, String(nested));
  return nested;
}

/**
 * The same jar read by offset from a file descriptor instead of a buffered copy: what the analyzer
 * interface would achieve with random-access file reads (see docs/readme/lang-binaries.md).
 * Runs in a separate process so its peak RSS is its own.
 */
export async function benchFatJarRandomAccess(): Promise<BenchResult[]> {
  buildFatJar();
  const beforeRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const fd = openSync(JAR, 'r');
  let found: number;
  try {
    found = parseJavaArchive(fileSource(fd, fstatSync(fd).size), 'opt/app/app.jar').packages.length;
  } finally {
    closeSync(fd);
  }
  const ms = performance.now() - t0;
  const peakMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
  return [
    {
      name: 'java-jar',
      metric: `peak RSS, same jar read by offset (proposed random-access interface, bound ${BOUND_MB} MB)`,
      value: peakMb,
      baseline: beforeRss / 1e6,
      ratio: peakMb / BOUND_MB,
      target: 1,
      unit: 'MB',
      pass: peakMb < BOUND_MB,
      notes: `${found} packages in ${(ms / 1000).toFixed(1)} s; parseJavaArchive over fileSource, not through the walker`,
    },
  ];
}

function randomAccessChild(): BenchResult[] {
  const out = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'child.ts'),
      './java-jar.ts',
      'benchFatJarRandomAccess',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as BenchResult[];
}

export async function benchFatJar(): Promise<BenchResult[]> {
  const nested = buildFatJar();
  const jarBytes = statSync(JAR).size;
  // before this process grows: the child's own peak is measured apart
  const randomAccess = randomAccessChild();
  const analyzer = createJavaAnalyzer({ maxArchiveBytes: 512 * 1024 * 1024 });
  const beforeRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const inv = await scanRootfsInventory(path.join(ROOT, 'rootfs'), {
    analyzers: [analyzer],
    osEcosystem,
    limits: { maxAnalyzedFileBytes: 512 * 1024 * 1024 },
  });
  const ms = performance.now() - t0;
  const peakMb = (process.resourceUsage().maxRSS * 1024) / 1e6;
  const found = inv.packages.length;
  if (found < nested) throw new Error(`expected at least ${nested} packages, found ${found}`);
  const jarMb = jarBytes / 1e6;
  const beyond = peakMb - beforeRss / 1e6 - jarMb;
  return [
    {
      name: 'java-jar',
      metric: `peak RSS inventorying a ${jarMb.toFixed(0)} MB fat jar (bound ${BOUND_MB} MB)`,
      value: peakMb,
      baseline: beforeRss / 1e6,
      ratio: peakMb / BOUND_MB,
      target: 1,
      unit: 'MB',
      pass: peakMb < BOUND_MB,
      notes:
        `${found} packages from ${nested} nested jars in ${(ms / 1000).toFixed(1)} s; ` +
        `the analyzer interface buffers the whole jar (${jarMb.toFixed(0)} MB), ` +
        `so peak >= baseline + jar size; beyond both: ${beyond.toFixed(1)} MB`,
    },
    {
      name: 'java-jar',
      metric: 'memory beyond Node and the buffered jar (bound 64 MB, the analyzer budget)',
      value: beyond,
      ratio: beyond / 64,
      target: 1,
      unit: 'MB',
      pass: beyond < 64,
    },
    ...randomAccess,
  ];
}
