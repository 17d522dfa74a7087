// Inventory conformance: the peers' published fixtures (Trivy, Syft, osv-scalibr) through bulwark's
// real directory scan, against the (name, version) sets the peers expect, or the ecosystem tool's
// answer where the peer is wrong by it. See docs/inventory-conformance.md and each peer's README.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { figures, loadPeers, PEERS_DIR, runCase, type CaseResult } from './helpers/peer-cases.js';

const results: CaseResult[] = [];

for (const { peer, cases } of loadPeers()) {
  describe(`inventory conformance: ${peer}`, () => {
    it('has a README naming repository, commit, licence and every decision', () => {
      const readme = path.join(PEERS_DIR, peer, 'README.md');
      assert.ok(existsSync(readme), `${peer} has no README`);
      const text = readFileSync(readme, 'utf8');
      assert.match(text, /commit `[0-9a-f]{40}`/);
      assert.match(text, /Apache-2\.0/);
      for (const c of cases)
        if (c.decision || c.exclude || c.knownGap)
          assert.ok(text.includes(`\`${c.id}\``), `${c.id} not in the README`);
    });
    it('case ids are unique and every decided case says why', () => {
      assert.equal(new Set(cases.map((c) => c.id)).size, cases.length);
      for (const c of cases) {
        if (c.peerExpect) assert.ok(c.decision, `${c.id}: peerExpect without a decision`);
        if (c.exclude !== undefined) assert.ok(c.exclude.length > 10, `${c.id}: exclusion without a reason`);
      }
    });
    for (const c of cases) {
      if (c.exclude) continue;
      it(c.id, async () => {
        const r = await runCase(peer, c);
        results.push(r);
        if (c.knownGap) {
          assert.ok(!r.ok, `${c.id} now agrees: drop its knownGap (${c.knownGap})`);
          return;
        }
        assert.deepEqual({ missing: r.missing, extra: r.extra }, { missing: [], extra: [] });
        if (c.expectCount !== undefined) assert.equal(r.got.length, c.expectCount);
      });
    }
  });
}

after(() => {
  const lines = [...figures(results)].map(([k, f]) => `${k}: ${f.matched}/${f.total}`);
  console.log(`# inventory conformance\n# ${lines.join('\n# ')}`);
});
