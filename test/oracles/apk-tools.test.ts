import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { versionScheme } from '../../src/ecosystems/index.js';

const scheme = versionScheme('Alpine')!;
const DATA = new URL('../fixtures/versions/apk-tools/version.data', import.meta.url);
const SIGN: Record<string, number> = { '<': -1, '=': 0, '>': 1 };

describe("apk versions against apk-tools' own test table (test/unit/version.data)", () => {
  it('agrees on every ordering row and every validity row', () => {
    const wrong: string[] = [];
    let rows = 0;
    let invalidRows = 0;
    for (const raw of readFileSync(DATA, 'utf8').split('\n')) {
      const line = raw.split('#')[0]!.trim();
      if (line === '') continue;
      const p = line.split(' ');
      if (p.length === 3 && SIGN[p[1]!] !== undefined) {
        const [a, op, b] = p as [string, string, string];
        rows++;
        // `apk version -t` rejects a side apk_version_validate rejects: bulwark says invalid too.
        if (!scheme.isValid(a) || !scheme.isValid(b)) {
          invalidRows++;
          continue;
        }
        if (scheme.compare(a, b) !== SIGN[op]) wrong.push(line);
        if (scheme.compare(b, a) !== -SIGN[op]! + 0) wrong.push(`${line} (reversed)`);
      } else if (p.length === 1) {
        rows++;
        const want = !line.startsWith('!');
        if (scheme.isValid(want ? line : line.slice(1)) !== want) wrong.push(line);
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(rows > 750, `only ${rows} rows read`);
    // Exactly the two rows whose versions apk-tools' validator rejects (1.0bc, 23_foo).
    assert.equal(invalidRows, 2);
    assert.equal(scheme.isValid('1.0~ABCD'), false, 'commit hashes are lowercase hex only');
  });
});
