import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBulwarkError } from '../../src/core/errors.js';
import type { VersionScheme } from '../../src/ecosystems/index.js';

export type Row = [string, '<' | '=' | '>', string];

const SIGN = { '<': -1, '=': 0, '>': 1 } as const;

/**
 * Table-driven tests for a version scheme: one `it` per ordered pair (checked both ways round)
 * and one per invalid version (rejected by isValid, MALFORMED_INPUT from compare).
 */
export function versionTable(scheme: VersionScheme, rows: Row[], invalid: string[] = []): void {
  describe(`${scheme.id} ordering`, () => {
    for (const [a, op, b] of rows) {
      it(`${JSON.stringify(a)} ${op} ${JSON.stringify(b)}`, () => {
        assert.equal(scheme.compare(a, b), SIGN[op]);
        assert.equal(scheme.compare(b, a), -SIGN[op] || 0);
      });
    }
  });
  describe(`${scheme.id} invalid versions`, () => {
    for (const v of invalid) {
      it(`rejects ${JSON.stringify(v)}`, () => {
        assert.equal(scheme.isValid(v), false);
        assert.throws(
          () => scheme.compare(v, '1'),
          (e: unknown) => isBulwarkError(e) && e.code === 'MALFORMED_INPUT',
        );
      });
    }
  });
}
