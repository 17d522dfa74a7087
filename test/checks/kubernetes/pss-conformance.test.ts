import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { evaluatePod, overriddenBy, parsePssVersion, PSS_CHECKS } from '../../../src/checks/pss/index.js';
import type { PodLike, PssLevel } from '../../../src/checks/pss/index.js';

// Pod Security Admission's own generated test data (test/fixtures/pss/README.md): every pass file
// must be allowed and every fail file denied, at its level and version, and a fail file must be
// denied by the check it is named for (or by the restricted check that replaces that check).
const root = path.resolve('test/fixtures/pss');

const CHECK_BY_FILE_PREFIX = new Map<string, string>(PSS_CHECKS.map((c) => [c.id.toLowerCase(), c.id]));
// PSA's development branch names the baseline procMount check `procMount_baseline`
CHECK_BY_FILE_PREFIX.set('procmount_baseline', 'procMount');

interface Fixture {
  level: PssLevel;
  version: string;
  expect: 'pass' | 'fail';
  file: string;
}

function fixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const level of ['baseline', 'restricted'] as const)
    for (const version of readdirSync(path.join(root, level)))
      for (const expect of ['pass', 'fail'] as const) {
        let files: string[] = [];
        try {
          files = readdirSync(path.join(root, level, version, expect));
        } catch {
          continue;
        }
        for (const file of files.filter((f) => f.endsWith('.yaml')).sort())
          out.push({ level, version, expect, file });
      }
  return out;
}

const all = fixtures();

describe('Pod Security Admission conformance (PSA test data)', () => {
  it('has fixtures for both levels and many versions', () => {
    assert.ok(all.length >= 50, `only ${all.length} fixtures`);
    assert.ok(all.some((f) => f.level === 'baseline') && all.some((f) => f.level === 'restricted'));
    assert.ok(new Set(all.map((f) => `${f.level}/${f.version}`)).size >= 20);
  });

  for (const f of all) {
    it(`${f.level}/${f.version}/${f.expect}/${f.file}`, () => {
      const pod = parse(
        readFileSync(path.join(root, f.level, f.version, f.expect, f.file), 'utf8'),
      ) as PodLike;
      const result = evaluatePod(pod, f.level, f.version);
      if (f.expect === 'pass') {
        assert.deepEqual(result.violations, [], 'expected allowed');
        assert.equal(result.allowed, true);
        return;
      }
      assert.equal(result.allowed, false, 'expected denied');
      const prefix = f.file.replace(/\d*\.yaml$/, '');
      const named = CHECK_BY_FILE_PREFIX.get(prefix);
      assert.ok(named, `fixture ${f.file} names no known check`);
      const accepted = [named, overriddenBy(named, f.level, parsePssVersion(f.version))];
      assert.ok(
        result.violations.some((v) => accepted.includes(v.control)),
        `expected ${named} among ${result.violations.map((v) => v.control).join(', ')}`,
      );
    });
  }
});
