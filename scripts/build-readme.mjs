#!/usr/bin/env node
// README.md is what a newcomer reads: assembled from docs/readme/*.md (what bulwark is, the two
// commands, the command table, a short tour, the documentation index, dependencies, development).
// The reference lives in docs/*.md, one page per area. Numbered sections come in their order;
// the `tour-*.md` sections (one per area's tour) follow `20-tour.md`, sorted by name.
//
//   node scripts/build-readme.mjs          rewrite README.md
//   node scripts/build-readme.mjs --check  exit 1 when README.md is stale, a relative link in
//                                          README.md or docs/ points at no file or heading, or a
//                                          command has no reference link in the command table
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECTIONS = path.join(ROOT, 'docs', 'readme');

export function sectionOrder(files) {
  const numbered = files.filter((f) => /^\d\d-.*\.md$/.test(f)).sort();
  const tours = files.filter((f) => /^tour-.*\.md$/.test(f)).sort();
  const at = numbered.findIndex((f) => f > '20-tour.md');
  return at < 0 ? [...numbered, ...tours] : [...numbered.slice(0, at), ...tours, ...numbered.slice(at)];
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slug(h) {
  return h
    .toLowerCase()
    .replace(/[`]/g, '')
    .replace(/[^a-z0-9 _-]/g, '')
    .trim()
    .replace(/ /g, '-');
}

function build() {
  const order = sectionOrder(readdirSync(SECTIONS));
  const parts = order.map((f) => readFileSync(path.join(SECTIONS, f), 'utf8').trim());
  const toc = parts
    .slice(1)
    .map((p) => p.split('\n')[0])
    .filter((l) => l.startsWith('## '))
    .map((l) => `- [${l.slice(3).replace(/`/g, '')}](#${slug(l.slice(3))})`)
    .join('\n');
  const [head, ...rest] = parts;
  return `${head}\n\n## Contents\n\n${toc}\n\n${rest.join('\n\n')}\n`;
}

function anchorsOf(file) {
  const seen = new Map();
  const out = new Set();
  let fence = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^```/.test(line)) fence = !fence;
    const m = !fence && /^#{1,6} (.*)$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Relative links of README.md and docs/*.md that point at no file or no heading. */
export function brokenLinks() {
  const pages = [
    path.join(ROOT, 'README.md'),
    ...readdirSync(path.join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => path.join(ROOT, 'docs', f)),
  ];
  const anchors = new Map();
  const broken = [];
  for (const page of pages) {
    let fence = false;
    readFileSync(page, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (/^```/.test(line)) fence = !fence;
        if (fence) return;
        for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
          const target = m[1];
          if (/^[a-z]+:/.test(target)) continue; // https:, mailto:
          const [file, anchor] = target.split('#');
          const dest = file ? path.resolve(path.dirname(page), file) : page;
          const where = `${path.relative(ROOT, page)}:${i + 1}`;
          if (!existsSync(dest)) {
            broken.push(`${where}: ${target} (no such file)`);
            continue;
          }
          if (anchor && dest.endsWith('.md')) {
            if (!anchors.has(dest)) anchors.set(dest, anchorsOf(dest));
            if (!anchors.get(dest).has(anchor)) broken.push(`${where}: ${target} (no such heading)`);
          }
        }
      });
  }
  return broken;
}

/** Commands (src/cli/registry.ts) with no row linking to docs/ in the README's command table. */
export function commandsWithoutReference(readme) {
  const registry = readFileSync(path.join(ROOT, 'src', 'cli', 'registry.ts'), 'utf8');
  const names = [...registry.matchAll(/^ {2}'?([a-z][a-z-]*)'?: \(\) => import/gm)].map((m) => m[1]);
  const rows = readme.split('\n').filter((l) => l.startsWith('| `bulwark '));
  const named = (row, n) => new RegExp(`\`bulwark ${n}(?![\\w-])`).test(row.split(' | ')[0]);
  return names.filter((n) => !rows.some((r) => named(r, n) && /\]\(docs\//.test(r)));
}

const text = build();
const target = path.join(ROOT, 'README.md');
if (process.argv.includes('--check')) {
  const problems = [];
  if (readFileSync(target, 'utf8') !== text)
    problems.push('README.md is out of date: run node scripts/build-readme.mjs');
  for (const b of brokenLinks()) problems.push(`broken link ${b}`);
  for (const c of commandsWithoutReference(text))
    problems.push(
      `command \`bulwark ${c}\` has no row linking to its reference in docs/readme/10-commands.md`,
    );
  if (problems.length) {
    for (const p of problems) console.error(p);
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
