import { describe, it } from 'node:test';
import { assertConformance, RANDOM_PAIRS } from './conformance.js';
import { REFERENCES } from './references.js';
import { SEEDS } from './seeds.js';

// Each ecosystem's reference implementation, run once over the peers' fixture pairs (the tables
// beside the schemes) plus seeded random pairs glued from tricky fragments: zero disagreements,
// validity included ("!" on both sides). See docs/versions.md for the figures.
for (const [id, ref] of Object.entries(REFERENCES)) {
  describe(`${id} versions against ${ref.name}`, () => {
    it(`agrees on every fixture pair and ${ref.random ?? RANDOM_PAIRS} random pairs`, () => {
      assertConformance(ref, SEEDS[id]!);
    });
  });
}
