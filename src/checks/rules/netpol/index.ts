import { analyze, netpolInputs, type NetpolInput } from '../../../netpol/analysis.js';
import { buildModel } from '../../../netpol/model.js';
import { readText, type ReadResult } from '../../../netpol/resources.js';
import type { ParsedFile, RuleFamily } from '../../types.js';
import allowsEverything from './allows-everything.js';
import externallyReachable from './externally-reachable.js';
import namespaceNoDefaultDeny from './namespace-no-default-deny.js';
import noEgressPolicy from './no-egress-policy.js';
import noIngressPolicy from './no-ingress-policy.js';
import policySelectsNothing from './policy-selects-nothing.js';

/** netpol rules (NetworkPolicy coverage and exposure), sorted by id. */
export const rules = [
  allowsEverything,
  externallyReachable,
  namespaceNoDefaultDeny,
  noEgressPolicy,
  noIngressPolicy,
  policySelectsNothing,
];

/**
 * `bulwark netpol --findings` analyses every file named together (src/netpol/findings.ts); this
 * family's own `parse` is the one-file case, for callers that hand it a single manifest.
 */
export const family: RuleFamily<NetpolInput> = {
  name: 'netpol',
  target: 'netpol',
  // never claimed by `bulwark config`'s file detection: connectivity needs the whole set of manifests
  matchName: () => 'no',
  matchContent: () => false,
  parse(text: string, file: string): ParsedFile<NetpolInput> {
    const read: ReadResult = { objects: [], errors: [], warnings: [], files: 1 };
    readText(text, file, read);
    const inputs = netpolInputs(analyze(buildModel(read.objects)));
    return {
      inputs: inputs.map((input) => ({ input, object: `${input.source.kind}/${input.source.name}` })),
    };
  },
  rules,
};
