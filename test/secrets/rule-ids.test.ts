import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { listRules } from '../../src/checks/index.js';
import { SECRET_RULES } from '../../src/secrets/index.js';

// Secret rule ids are what users write in ignore files and SARIF consumers key on: every id ever
// shipped stays (shipped-rule-ids.txt lists them; add, never remove), and the engine's generated
// family lists every rule of the data, so `bulwark rules` and `bulwark secrets` agree.
const shipped = readFileSync(new URL('./shipped-rule-ids.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);

describe('secret rule ids', () => {
  it('every shipped id still names a rule', () => {
    const ids = new Set(SECRET_RULES.map((s) => s.id));
    assert.deepEqual(
      shipped.filter((id) => !ids.has(id)),
      [],
    );
  });

  it('ids are unique', () => {
    const ids = SECRET_RULES.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('`bulwark rules --target secrets` lists every secret rule, with its data', async () => {
    const listed = await listRules('secrets');
    assert.deepEqual(
      listed.map((r) => r.meta.id),
      SECRET_RULES.map((s) => `secrets/${s.id}`),
    );
    for (const [i, r] of listed.entries()) {
      const s = SECRET_RULES[i]!;
      assert.equal(r.meta.title, s.title);
      assert.equal(r.meta.severity, s.severity);
      assert.deepEqual(r.meta.aliases, s.aliases);
    }
  });
});
