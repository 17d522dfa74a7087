import path from 'node:path';
import { checkParsed, compareFindings, type CheckOptions, type CheckResult } from '../engine.js';
import { loadFamilies } from '../registry.js';
import type { CheckFinding, RuleFamily } from '../types.js';
import { collectHostFacts, type CollectOptions } from './collect.js';
import type { HostFacts } from './facts.js';

/**
 * Runs the `daemon` and `host` families on gathered facts. Each finding's `file` becomes the file
 * that decided it (`<root>/etc/docker/daemon.json`, or `docker://<host>` for live answers).
 */
export async function checkHostFacts(facts: HostFacts, opts: CheckOptions = {}): Promise<CheckResult> {
  const families = (await loadFamilies(['daemon', 'host'])) as RuleFamily<HostFacts>[];
  const result: CheckResult = { files: [], findings: [], suppressed: [], errors: [], warnings: [] };
  const locate = <F extends CheckFinding>(f: F): F => {
    const o = f.object ?? '';
    const file = o.startsWith('/') ? path.join(facts.root, o) : o.startsWith('docker://') ? o : facts.root;
    return { ...f, file };
  };
  for (const family of families) {
    const r = checkParsed({ inputs: [{ input: facts }] }, facts.root, family, opts);
    for (const f of r.findings) result.findings.push(locate(f));
    for (const f of r.suppressed) result.suppressed.push(locate(f));
    for (const w of r.warnings) result.warnings.push(w);
  }
  result.findings.sort(compareFindings);
  result.suppressed.sort(compareFindings);
  // one entry per file that decided something, so reports group findings under it
  const fams = new Map<string, Set<string>>();
  for (const f of [...result.findings, ...result.suppressed])
    fams.set(f.file, (fams.get(f.file) ?? new Set()).add(f.target));
  if (fams.size === 0) fams.set(facts.root, new Set(families.map((f) => f.name)));
  result.files = [...fams]
    .map(([file, set]) => ({ file, family: [...set].sort().join(', ') }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return result;
}

/** Gathers the facts of the host under `root` (and the live daemon when asked) and checks them. */
export async function checkHost(
  collect: CollectOptions,
  opts: CheckOptions = {},
): Promise<CheckResult & { facts: HostFacts }> {
  const { facts, warnings } = await collectHostFacts(collect);
  const result = await checkHostFacts(facts, opts);
  for (const w of warnings) result.warnings.push(w);
  return { ...result, facts };
}
