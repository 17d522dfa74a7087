import type { NetpolInput } from '../../../netpol/analysis.js';
import { defineRule } from '../../define-rule.js';

export default defineRule({
  meta: {
    id: 'netpol/no-ingress-policy',
    aliases: [],
    title: 'Workload not isolated for ingress by any NetworkPolicy',
    severity: 'MEDIUM',
    category: 'network-policy',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#the-two-sorts-of-pod-isolation',
    ],
    remediation:
      'Add a NetworkPolicy that selects the workload with policyTypes [Ingress] and allows only the peers and ports it serves (or a namespace default-deny plus explicit allows).',
    appliesTo: ['netpol'],
    messages: {
      none: '{{workload}} accepts connections from every pod and address: no NetworkPolicy selects it for ingress',
    },
  },
  check(input: NetpolInput) {
    const s = input.subject;
    if (s.kind !== 'workload' || input.analysis.engine.policiesOf(s.index, 'ingress').length) return [];
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
