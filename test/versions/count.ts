// Prints the disagreement count per ecosystem (the figures in docs/versions.md):
//   node --import tsx test/versions/count.ts [rpm dpkg ...]
import { conformance } from './conformance.js';
import { REFERENCES } from './references.js';
import { SEEDS } from './seeds.js';

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(REFERENCES);
for (const n of names) {
  const out = conformance(
    REFERENCES[n]!,
    Number(process.env.SEED ?? SEEDS[n]),
    process.env.PAIRS ? Number(process.env.PAIRS) : undefined,
  );
  const total = out.fixtures + 2 * out.malformed + out.random;
  console.log(
    `${n}\tfixtures ${out.fixtures}\tmalformed ${2 * out.malformed}\trandom ${out.random}\tpairs ${total}\tdisagreements ${out.disagreements.length}`,
  );
  console.log(`  rejects: ${out.rejected.map((r) => JSON.stringify(r)).join(' ')}`);
  for (const d of out.disagreements.slice(0, Number(process.env.SHOW ?? 15))) console.log(`  ${d}`);
}
