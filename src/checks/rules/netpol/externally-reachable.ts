import type { NetpolInput } from '../../../netpol/analysis.js';
import { defineRule } from '../../define-rule.js';

export default defineRule({
  meta: {
    id: 'netpol/externally-reachable',
    aliases: [],
    title: 'Workload reachable from outside the cluster',
    severity: 'MEDIUM',
    category: 'network-exposure',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
      'https://kubernetes.io/docs/concepts/services-networking/ingress/',
    ],
    remediation:
      'Check that the exposure is intended; restrict it with loadBalancerSourceRanges, an ingress policy that admits only the ingress controller or known address ranges, and avoid hostNetwork and hostPort.',
    appliesTo: ['netpol'],
    messages: {
      reachable: '{{workload}} is reachable from outside the cluster: {{path}}',
    },
  },
  check(input: NetpolInput) {
    const s = input.subject;
    if (s.kind !== 'workload') return [];
    return (input.analysis.exposures.get(s.workload.id) ?? []).map((p) => ({
      line: p.source.file === input.source.file ? p.source.line : input.source.line,
      column: 1,
      messageId: 'reachable' as const,
      data: { workload: s.workload.id, path: p.path },
      object: s.workload.id,
      field: p.kind,
    }));
  },
});
