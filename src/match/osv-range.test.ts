import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionScheme } from '../ecosystems/index.js';
import type { OsvAffected } from '../vulndb/types.js';
import { evaluateAffected } from './osv-range.js';
import type { MatchWarning } from './types.js';

// Synthetic entries for OSV features the real feeds here never use (limit, broken versions, GIT-only).
const npm = versionScheme('npm');
const pypi = versionScheme('PyPI');

function run(entry: OsvAffected, version: string, scheme = npm) {
  const warnings: MatchWarning[] = [];
  const r = evaluateAffected(entry, version, scheme, 'TEST-1', (w) => warnings.push(w));
  return { ...r, warnings };
}

describe('evaluateAffected', () => {
  it('bounds a range with limit (exclusive) events', () => {
    const entry: OsvAffected = {
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0.0' }, { limit: '2.0.0' }] }],
    };
    assert.equal(run(entry, '1.5.0').affected, true);
    assert.equal(run(entry, '2.0.0').affected, false);
    assert.equal(run(entry, '0.9.0').affected, false);
    const star: OsvAffected = {
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { limit: '*' }] }],
    };
    assert.equal(run(star, '99.0.0').affected, true);
  });

  it('sorts events before evaluating them', () => {
    const entry: OsvAffected = {
      ranges: [
        {
          type: 'ECOSYSTEM',
          events: [{ fixed: '2.0.0' }, { introduced: '1.5.0' }, { fixed: '1.2.0' }, { introduced: '0' }],
        },
      ],
    };
    assert.equal(run(entry, '1.1.0').affected, true);
    assert.equal(run(entry, '1.3.0').affected, false);
    assert.equal(run(entry, '1.9.0').affected, true);
    assert.deepEqual(run(entry, '1.1.0').fixes, ['1.2.0', '2.0.0']);
  });

  it('never matches on a GIT range alone', () => {
    const entry: OsvAffected = {
      ranges: [
        {
          type: 'GIT',
          repo: 'https://example.invalid/repo',
          events: [{ introduced: '0' }, { fixed: 'abc123' }],
        },
      ],
    };
    const r = run(entry, '1.0.0');
    assert.equal(r.affected, false);
    assert.deepEqual(r.warnings, []);
  });

  it('skips a range holding an invalid version with a warning and still uses the others', () => {
    const entry: OsvAffected = {
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: 'not a version!' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.4' }] },
      ],
    };
    const r = run(entry, '1.2', pypi);
    assert.equal(r.affected, true);
    assert.deepEqual(r.fixes, ['1.4']);
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ['INVALID_RANGE'],
    );
    const broken = run({ ranges: [entry.ranges![0]!] }, '1.2', pypi);
    assert.equal(broken.affected, false);
  });

  it('warns instead of throwing when the installed version is invalid', () => {
    const entry: OsvAffected = {
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
    };
    const r = run(entry, 'banana');
    assert.equal(r.affected, false);
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ['INVALID_VERSION'],
    );
  });

  it('skips ECOSYSTEM ranges of an ecosystem without a scheme, keeps SEMVER', () => {
    const entry: OsvAffected = {
      package: { ecosystem: 'SomethingNew', name: 'x' },
      ranges: [
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }] },
        { type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] },
      ],
    };
    const warnings: MatchWarning[] = [];
    const r = evaluateAffected(entry, '1.0.0', undefined, 'TEST-2', (w) => warnings.push(w));
    assert.equal(r.affected, true);
    assert.deepEqual(r.fixes, ['2.0.0']);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['UNSUPPORTED_ECOSYSTEM'],
    );
  });

  it('matches a version equal to the introduced version and not one equal to the fix', () => {
    const entry: OsvAffected = {
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.0.1' }] }],
    };
    assert.equal(run(entry, '1.0.0').affected, true);
    assert.equal(run(entry, '1.0.1').affected, false);
    const la: OsvAffected = {
      ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '1.0.0' }] }],
    };
    assert.equal(run(la, '1.0.0').affected, true);
    assert.deepEqual(run(la, '1.0.0').fixes, []);
    assert.equal(run(la, '1.0.1-0').affected, false);
  });
});
