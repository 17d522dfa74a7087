import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { SECRET_RULES, scanSecrets } from '../../src/secrets/index.js';
import { loadGitleaksSamples } from './gitleaks-conformance.js';
import { SAMPLES } from './samples.js';

// Table-driven recall / false-positive check: every rule has realistic true and false positive
// samples; every true positive must be found by its rule, and no false positive may be reported by
// any rule. A per-rule summary is printed at the end.
const stats = new Map<string, { tp: number; found: number; fp: number; reported: number }>();

describe('secret rules: recall and false positives per rule', () => {
  it("every rule has samples (its own here, or gitleaks' for the gitleaks rule it answers for), and every sample names a rule", () => {
    const ids = SECRET_RULES.map((r) => r.id);
    assert.ok(ids.length >= 80, `only ${ids.length} rules`);
    // gitleaks rules with true positives: test/secrets/gitleaks.test.ts runs those
    const gitleaks = new Set(
      loadGitleaksSamples()
        .rules.filter((r) => r.tps.length)
        .map((r) => `gitleaks:${r.id}`),
    );
    for (const spec of SECRET_RULES) {
      const s = SAMPLES[spec.id];
      if (!s && spec.aliases.some((a) => gitleaks.has(a))) continue;
      assert.ok(s && s.tp.length > 0 && s.fp.length > 0, `${spec.id}: needs true and false positive samples`);
    }
    for (const id of Object.keys(SAMPLES)) assert.ok(ids.includes(id), `samples for unknown rule ${id}`);
  });

  for (const rule of SECRET_RULES) {
    const samples = SAMPLES[rule.id];
    if (!samples) continue;
    const ruleId = `secrets/${rule.id}`;
    it(ruleId, () => {
      const st = { tp: samples.tp.length, found: 0, fp: samples.fp.length, reported: 0 };
      stats.set(rule.id, st);
      const missed: string[] = [];
      for (const text of samples.tp) {
        const r = scanSecrets(text);
        if (r.findings.some((f) => f.ruleId === ruleId)) st.found++;
        else missed.push(`${text.slice(0, 60)} -> ${r.findings.map((f) => f.ruleId).join(',') || 'nothing'}`);
        // redaction: no finding may carry more of the secret than its first 4 characters
        for (const f of r.findings) assert.match(f.match, /\*{5}/, `${ruleId}: match not redacted`);
      }
      const noisy: string[] = [];
      for (const text of samples.fp) {
        const r = scanSecrets(text);
        if (r.findings.length) {
          st.reported++;
          noisy.push(`${text.slice(0, 60)} -> ${r.findings.map((f) => f.ruleId).join(',')}`);
        }
      }
      assert.deepEqual(missed, [], `${ruleId}: true positives missed`);
      assert.deepEqual(noisy, [], `${ruleId}: false positives reported`);
    });
  }

  after(() => {
    const rows = [...stats.entries()].map(
      ([id, s]) => `${id.padEnd(38)} recall ${s.found}/${s.tp}  false positives ${s.reported}/${s.fp}`,
    );
    const tp = [...stats.values()].reduce((a, s) => a + s.tp, 0);
    const found = [...stats.values()].reduce((a, s) => a + s.found, 0);
    const fp = [...stats.values()].reduce((a, s) => a + s.fp, 0);
    const reported = [...stats.values()].reduce((a, s) => a + s.reported, 0);
    console.log(
      `${rows.join('\n')}\nTOTAL ${stats.size} rules: recall ${found}/${tp}, false positives ${reported}/${fp}`,
    );
  });
});
