#!/usr/bin/env node
// Keeps the documentation's examples real. A fenced block right after the line
// `<!-- example -->` in README sections (docs/readme/*.md) or reference pages (docs/*.md) is a
// transcript: each `$ command` line is run with bash from the repository root, in one fresh cache
// directory per file (so a `db update` example feeds the scan after it), and the lines up to the
// next `$ ` are its expected output (stdout and stderr together).
//
//   node scripts/docs-examples.mjs --check [files...]   exit 1 when an example's output changed
//   node scripts/docs-examples.mjs --update [files...]  rewrite the blocks with today's output
//
// `bulwark` and `npx bulwark` run this checkout's CLI from source. Before comparing, the
// repository's absolute path is removed and timestamps become <time>, so transcripts read the
// same on every machine, and the fresh cache directory reads as the default `~/.cache/bulwark`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const MARK = '<!-- example -->';

export function normalize(text) {
  return text
    .split(ROOT + path.sep)
    .join('')
    .split(ROOT)
    .join('.')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, '<time>')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n+$/, '');
}

/** Output as a user with the default cache directory would see it. */
function run(command, cacheDir) {
  return runIn(command, cacheDir).split(cacheDir).join('~/.cache/bulwark');
}

function runIn(command, cacheDir) {
  // from source, as the tests run it: a stale dist/ must not vouch for today's code
  const bin = path.join(ROOT, 'test', 'cli', 'run-cli.ts');
  const script = `bulwark() { node --import tsx ${JSON.stringify(bin)} "$@"; }\nnpx() { if [ "$1" = bulwark ]; then shift; bulwark "$@"; else command npx "$@"; fi; }\n{\n${command}\n} 2>&1`;
  try {
    return execFileSync('bash', ['-c', script], {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        BULWARK_CACHE_DIR: cacheDir,
        NO_COLOR: '1',
        COLUMNS: '120',
        TZ: 'UTC',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (e) {
    // non-zero exits are part of a transcript (a scan that finds something exits 1 with --exit-code)
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

/** Blocks of one file: {start, end} line indexes of the fence contents and the commands inside. */
export function findExamples(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== MARK) continue;
    const open = i + 1;
    if (!/^```/.test(lines[open] ?? ''))
      throw new Error(`line ${i + 1}: ${MARK} must be followed by a fence`);
    let close = open + 1;
    while (close < lines.length && !/^```\s*$/.test(lines[close])) close++;
    const body = lines.slice(open + 1, close);
    const steps = [];
    for (const l of body) {
      if (l.startsWith('$ ')) steps.push({ command: l.slice(2), expected: [] });
      else if (steps.length && /^ {4}\S/.test(l) && steps.at(-1).expected.length === 0)
        steps.at(-1).command += '\n' + l; // a continued command line
      else if (steps.length) steps.at(-1).expected.push(l);
      else throw new Error(`line ${open + 2}: an example block starts with a "$ " command`);
    }
    out.push({ start: open + 1, end: close, steps });
    i = close;
  }
  return out;
}

function files(args) {
  if (args.length) return args.map((f) => path.resolve(f));
  const dirs = [path.join(ROOT, 'docs', 'readme'), path.join(ROOT, 'docs')];
  return dirs.flatMap((d) =>
    readdirSync(d)
      .filter((f) => f.endsWith('.md'))
      .map((f) => path.join(d, f)),
  );
}

export function processFile(file, mode) {
  const text = readFileSync(file, 'utf8');
  const examples = findExamples(text);
  if (!examples.length) return [];
  const lines = text.split('\n');
  const cache = mkdtempSync(path.join(os.tmpdir(), 'bulwark-docs-'));
  const problems = [];
  try {
    for (const ex of examples) {
      const rendered = [];
      for (const step of ex.steps) {
        const actual = normalize(run(step.command, cache));
        const expected = normalize(step.expected.join('\n'));
        if (actual !== expected)
          problems.push({ file: path.relative(ROOT, file), command: step.command, expected, actual });
        rendered.push(`$ ${step.command}`, ...(actual ? actual.split('\n') : []));
      }
      ex.rendered = rendered;
    }
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
  if (mode === 'update' && problems.length) {
    for (const ex of [...examples].reverse()) lines.splice(ex.start, ex.end - ex.start, ...ex.rendered);
    writeFileSync(file, lines.join('\n'));
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const mode = args.includes('--update') ? 'update' : 'check';
  const named = args.filter((a) => !a.startsWith('--'));
  let failed = 0;
  for (const f of files(named)) {
    for (const p of processFile(f, mode)) {
      failed++;
      if (mode === 'check') {
        console.error(`${p.file}: \`${p.command}\` prints something else now:`);
        console.error(`--- documented\n${p.expected}\n--- actual\n${p.actual}\n`);
      } else console.error(`${p.file}: updated \`${p.command}\``);
    }
  }
  if (mode === 'check' && failed) {
    console.error(`${failed} documented example(s) out of date: run node scripts/docs-examples.mjs --update`);
    process.exit(1);
  }
}
