#!/usr/bin/env node
// README.md is assembled from docs/readme/*.md (each area's owners keep their section next to the
// others), in the order below, with a table of contents. Run: node scripts/build-readme.mjs
// `--check` exits 1 when README.md is not up to date (the test suite runs it).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const ORDER = [
  '00-head.md',
  '01-tour.md',
  'image.md',
  'registry.md',
  'os-packages.md',
  'lang-lockfiles.md',
  'lang-binaries.md',
  'sbom.md',
  'database.md',
  'versions.md',
  'matching-and-reports.md',
  'config-checks.md',
  'kubernetes.md',
  'image-config.md',
  'docker-host.md',
  'secrets.md',
  '90-configuration.md',
  '91-architecture.md',
  '92-benchmarks.md',
  '99-development.md',
];

const parts = ORDER.map((f) => readFileSync(path.join(ROOT, 'docs', 'readme', f), 'utf8').trim());
const slug = (h) =>
  h
    .toLowerCase()
    .replace(/[`]/g, '')
    .replace(/[^a-z0-9 -]/g, '')
    .trim()
    .replace(/ /g, '-');
const toc = parts
  .slice(1)
  .map((p) => p.split('\n')[0])
  .filter((l) => l.startsWith('## '))
  .map((l) => `- [${l.slice(3).replace(/`/g, '')}](#${slug(l.slice(3))})`)
  .join('\n');
const [head, ...rest] = parts;
const text = `${head}\n\n## Contents\n\n${toc}\n\n${rest.join('\n\n')}\n`;
const target = path.join(ROOT, 'README.md');
if (process.argv.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error('README.md is out of date: run node scripts/build-readme.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
}
