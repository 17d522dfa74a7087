import { defineRule } from '../../define-rule.js';
import { located } from '../../kubernetes/rule-helpers.js';
import { valueAt } from '../../kubernetes/pod.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: {
    id: 'kubernetes/service-exposed',
    aliases: [],
    title: 'Service exposed outside the cluster (NodePort or LoadBalancer)',
    severity: 'MEDIUM',
    category: 'network-exposure',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
    ],
    remediation:
      'Use a ClusterIP Service behind an Ingress or gateway with TLS and authentication; if exposure is intended, restrict `loadBalancerSourceRanges`.',
    appliesTo: ['kubernetes'],
    messages: {
      nodePort: '{{object}} is a NodePort Service: reachable on every node address',
      loadBalancer:
        '{{object}} is a LoadBalancer Service without loadBalancerSourceRanges: reachable from anywhere',
    },
  },
  check(obj: K8sObject) {
    if (obj.kind !== 'Service') return [];
    const type = valueAt(obj, ['spec', 'type']);
    const data = { object: obj.label };
    if (type === 'NodePort')
      return [{ ...located(obj, ['spec', 'type']), data, messageId: 'nodePort' as const }];
    if (type === 'LoadBalancer') {
      const ranges = valueAt(obj, ['spec', 'loadBalancerSourceRanges']);
      if (Array.isArray(ranges) && ranges.length > 0 && !ranges.includes('0.0.0.0/0')) return [];
      return [{ ...located(obj, ['spec', 'type']), data, messageId: 'loadBalancer' as const }];
    }
    return [];
  },
});
