import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { evaluatePod, overriddenBy, PSS_CHECKS } from '../../../src/checks/pss/index.js';
import type { PodLike, PssLevel } from '../../../src/checks/pss/index.js';

// The whole of Pod Security Admission's generated test data at one release
// (test/fixtures/pss/README.md). PSA's fixtures_test.go writes, for each level and each minor
// version 0..37, `<level>/v1.<minor>/pass/base.yaml` (plus base_linux/base_windows for restricted
// from 1.29), and for every check that exists at that version (restricted: baseline checks too)
// `pass/<checkid><n>.yaml` and `fail/<checkid><n>.yaml`, check id lower-cased. Its run.go creates
// each pass pod expecting success and each fail pod expecting a denial in a namespace enforcing
// that level at that version. Here: every pass file must be allowed, every fail file denied, and
// denied by the check it is named for (or the restricted check that replaces it at that version).
const root = path.resolve('test/fixtures/pss');
const RELEASE_FILES = 4537;
const NEWEST_MINOR = 37;
const OS_SPECIFIC_FROM = 29;

const CHECK_BY_FILE_PREFIX = new Map<string, string>(PSS_CHECKS.map((c) => [c.id.toLowerCase(), c.id]));

function list(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
  } catch {
    return [];
  }
}

function prefixOf(file: string): string {
  return file.replace(/\d*\.yaml$/, '');
}

/** PSA's checksForLevelAndVersion: every check of the level (restricted: both) present at minor. */
function checksAt(level: PssLevel, minor: number): string[] {
  return PSS_CHECKS.filter(
    (c) => (level === 'restricted' || c.level === level) && c.versions[0]!.minor <= minor,
  )
    .map((c) => c.id)
    .sort();
}

function verdictErrors(level: PssLevel, minor: number): string[] {
  const version = `v1.${minor}`;
  const dir = path.join(root, level, version);
  const errors: string[] = [];
  for (const expect of ['pass', 'fail'] as const)
    for (const file of list(path.join(dir, expect))) {
      const pod = parse(readFileSync(path.join(dir, expect, file), 'utf8')) as PodLike;
      const result = evaluatePod(pod, level, version);
      const controls = result.violations.map((v) => v.control);
      const where = `${level}/${version}/${expect}/${file}`;
      if (expect === 'pass') {
        if (!result.allowed || controls.length > 0) errors.push(`${where}: denied by ${controls.join(', ')}`);
        continue;
      }
      if (result.allowed) {
        errors.push(`${where}: allowed`);
        continue;
      }
      const named = CHECK_BY_FILE_PREFIX.get(prefixOf(file));
      if (!named) {
        errors.push(`${where}: names no known check`);
        continue;
      }
      const accepted = [named, overriddenBy(named, level, minor)];
      if (!controls.some((c) => accepted.includes(c)))
        errors.push(`${where}: denied by ${controls.join(', ')}, not ${named}`);
    }
  return errors;
}

describe('Pod Security Admission conformance (all of PSA test data)', () => {
  it('holds the whole release corpus in the layout fixtures_test.go writes', () => {
    let total = 0;
    for (const level of ['baseline', 'restricted'] as const) {
      const versions = readdirSync(path.join(root, level)).sort();
      assert.deepEqual(
        versions,
        Array.from({ length: NEWEST_MINOR + 1 }, (_, i) => `v1.${i}`).sort(),
        `${level} versions`,
      );
      for (let minor = 0; minor <= NEWEST_MINOR; minor++) {
        const dir = path.join(root, level, `v1.${minor}`);
        const pass = list(path.join(dir, 'pass'));
        const fail = list(path.join(dir, 'fail'));
        total += pass.length + fail.length;
        const bases = ['base.yaml'];
        if (level === 'restricted' && minor >= OS_SPECIFIC_FROM)
          bases.push('base_linux.yaml', 'base_windows.yaml');
        for (const b of bases) assert.ok(pass.includes(b), `${level}/v1.${minor} lacks ${b}`);
        // the checks with fixtures in this directory are exactly those bulwark's registry
        // defines at this level and version (a missing or extra check shows here)
        const named = new Set(
          [...pass.filter((f) => !f.startsWith('base')), ...fail].map((f) => {
            const id = CHECK_BY_FILE_PREFIX.get(prefixOf(f));
            assert.ok(id, `${level}/v1.${minor}/${f} names no check bulwark knows`);
            return id;
          }),
        );
        assert.deepEqual([...named].sort(), checksAt(level, minor), `${level}/v1.${minor} checks`);
      }
    }
    assert.equal(total, RELEASE_FILES);
  });

  for (const level of ['baseline', 'restricted'] as const)
    for (let minor = 0; minor <= NEWEST_MINOR; minor++)
      it(`${level}/v1.${minor}: every pass file allowed, every fail file denied by its check`, () => {
        assert.deepEqual(verdictErrors(level, minor), []);
      });
});
