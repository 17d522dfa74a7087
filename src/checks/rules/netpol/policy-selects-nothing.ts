import type { NetpolInput } from '../../../netpol/analysis.js';
import { matches, selectorString } from '../../../netpol/selector.js';
import { defineRule } from '../../define-rule.js';

export default defineRule({
  meta: {
    id: 'netpol/policy-selects-nothing',
    aliases: [],
    title: 'NetworkPolicy selects no workload',
    severity: 'LOW',
    category: 'network-policy',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#networkpolicy-resource',
    ],
    remediation:
      "Fix the policy's podSelector (or namespace) so that it selects the workloads it was written for, or delete it: a policy that selects nothing protects nothing.",
    appliesTo: ['netpol'],
    messages: {
      nothing:
        'NetworkPolicy {{policy}} selects no workload in namespace {{namespace}} (podSelector {{selector}})',
    },
  },
  check(input: NetpolInput) {
    const s = input.subject;
    if (s.kind !== 'policy') return [];
    const p = s.policy;
    if (
      input.analysis.model.workloads.some(
        (w) => w.namespace === p.namespace && matches(p.podSelector, w.labels),
      )
    )
      return [];
    return [
      {
        line: input.source.lineOf?.(['spec', 'podSelector']) ?? input.source.line,
        column: 1,
        messageId: 'nothing',
        field: 'spec.podSelector',
        data: {
          policy: `${p.namespace}/${p.name}`,
          namespace: p.namespace,
          selector: selectorString(p.podSelector),
        },
        object: `NetworkPolicy/${p.name}`,
      },
    ];
  },
});
