import type { NetpolInput } from '../../../netpol/analysis.js';
import { isEverything } from '../../../netpol/selector.js';
import { defineRule } from '../../define-rule.js';

export default defineRule({
  meta: {
    id: 'netpol/namespace-no-default-deny',
    aliases: [],
    title: 'Namespace without a default-deny NetworkPolicy',
    severity: 'MEDIUM',
    category: 'network-policy',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies',
    ],
    remediation:
      'Add a NetworkPolicy with `podSelector: {}` and the policy type but no rules (policyTypes [Ingress, Egress]) so that new workloads start isolated, then allow what each needs.',
    appliesTo: ['netpol'],
    messages: {
      missing:
        'namespace {{namespace}} has no default-deny NetworkPolicy for {{directions}}: a new workload there is open',
    },
  },
  check(input: NetpolInput) {
    const s = input.subject;
    if (s.kind !== 'namespace') return [];
    const mine = input.analysis.model.policies.filter(
      (p) => p.namespace === s.namespace.name && isEverything(p.podSelector),
    );
    const missing: string[] = [];
    if (!mine.some((p) => p.affectsIngress && p.ingress.length === 0)) missing.push('ingress');
    if (!mine.some((p) => p.affectsEgress && p.egress.length === 0)) missing.push('egress');
    if (missing.length === 0) return [];
    return [
      {
        line: input.source.line,
        column: 1,
        messageId: 'missing',
        data: { namespace: s.namespace.name, directions: missing.join(' and ') },
        object: `Namespace/${s.namespace.name}`,
      },
    ];
  },
});
