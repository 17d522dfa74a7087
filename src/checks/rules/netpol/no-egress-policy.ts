import type { NetpolInput } from '../../../netpol/analysis.js';
import { defineRule } from '../../define-rule.js';

export default defineRule({
  meta: {
    id: 'netpol/no-egress-policy',
    aliases: [],
    title: 'Workload not isolated for egress by any NetworkPolicy',
    severity: 'LOW',
    category: 'network-policy',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-egress-traffic',
    ],
    remediation:
      'Add a NetworkPolicy that selects the workload with policyTypes [Egress] and allows only the peers and ports it calls (remember DNS) (or a namespace default-deny plus explicit allows).',
    appliesTo: ['netpol'],
    messages: {
      none: '{{workload}} can connect to every pod and address: no NetworkPolicy selects it for egress',
    },
  },
  check(input: NetpolInput) {
    const s = input.subject;
    if (s.kind !== 'workload' || input.analysis.engine.policiesOf(s.index, 'egress').length) return [];
    return [
      {
        line: input.source.line,
        column: 1,
        messageId: 'none',
        data: { workload: s.workload.id },
        object: s.workload.id,
      },
    ];
  },
});
