// Prints the conformance figures and every disagreement: `npx tsx test/inventory/helpers/peer-report.ts [id-filter]`.
import { figures, loadPeers, runCase } from './peer-cases.js';
import type { CaseResult } from './peer-cases.js';

const results: CaseResult[] = [];
for (const { peer, cases } of loadPeers()) for (const c of cases) results.push(await runCase(peer, c));
for (const r of results)
  if (!r.ok && !r.c.exclude && (process.argv[2] === undefined || r.c.id.includes(process.argv[2])))
    console.log(
      `FAIL ${r.peer} ${r.c.id}\n   missing ${r.missing.slice(0, 8).join(' ')}${r.missing.length > 8 ? ' …' + r.missing.length : ''}\n   extra   ${r.extra.slice(0, 8).join(' ')}${r.extra.length > 8 ? ' …' + r.extra.length : ''}`,
    );
for (const [k, f] of figures(results)) console.log(`${k}: ${f.matched}/${f.total}`);
