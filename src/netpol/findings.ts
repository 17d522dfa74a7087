import { checkParsed, compareFindings, type CheckOptions, type CheckResult } from '../checks/index.js';
import type { RuleFamily } from '../checks/types.js';
import { netpolInputs, type Analysis, type NetpolInput } from './analysis.js';

/**
 * `bulwark netpol --findings`: the netpol rule family over one analysis of every file given,
 * each finding filed under the file of the object it is about, so the ignore file's `path`
 * entries and the usual table/json/sarif renderers apply as for the other rule families.
 */
export async function netpolFindings(
  a: Analysis,
  files: readonly string[],
  opts: CheckOptions = {},
): Promise<CheckResult> {
  const family = (await import('../checks/rules/netpol/index.js')).family as RuleFamily<NetpolInput>;
  const byFile = new Map<string, NetpolInput[]>();
  for (const i of netpolInputs(a)) byFile.set(i.source.file, [...(byFile.get(i.source.file) ?? []), i]);
  const result: CheckResult = {
    files: files.map((file) => ({ file, family: 'netpol' })).sort((x, y) => (x.file < y.file ? -1 : 1)),
    findings: [],
    suppressed: [],
    errors: [],
    warnings: [],
  };
  for (const [file, inputs] of [...byFile].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const r = checkParsed(
      { inputs: inputs.map((input) => ({ input, object: `${input.source.kind}/${input.source.name}` })) },
      file,
      family as RuleFamily,
      opts,
    );
    result.findings.push(...r.findings);
    result.suppressed.push(...r.suppressed);
    result.warnings.push(...r.warnings);
  }
  result.findings.sort(compareFindings);
  result.suppressed.sort(compareFindings);
  return result;
}
