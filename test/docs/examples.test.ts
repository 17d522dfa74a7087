import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs script shared with `npm run docs:examples`
import { findExamples, processFile } from '../../scripts/docs-examples.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const pages = [path.join(ROOT, 'docs', 'readme'), path.join(ROOT, 'docs')].flatMap((d) =>
  readdirSync(d)
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(d, f)),
);

describe('documented examples print what bulwark prints today', () => {
  const withExamples = pages.filter((p) => findExamples(readFileSync(p, 'utf8')).length > 0);
  it('the README tour is checked', () => {
    assert.ok(withExamples.some((p) => p.endsWith(path.join('readme', '20-tour.md'))));
  });
  for (const page of withExamples) {
    it(path.relative(ROOT, page), () => {
      const problems = processFile(page, 'check') as { command: string; expected: string; actual: string }[];
      for (const p of problems)
        assert.equal(
          p.actual,
          p.expected,
          `\`${p.command}\` (refresh: node scripts/docs-examples.mjs --update)`,
        );
    });
  }
});
