import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cases, root, runCase, strip } from './conformance-cases.js';

describe('netpol-analyzer conformance', () => {
  it('lists cases', () => assert.ok(cases.length >= 100));
  for (const c of cases)
    it(c.expected, async () => {
      const want = readFileSync(path.join(root, 'expected', c.expected), 'utf8');
      assert.equal(strip(await runCase(c)), strip(want));
    });
});
