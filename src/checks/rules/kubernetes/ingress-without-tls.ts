import { defineRule } from '../../define-rule.js';
import { located } from '../../kubernetes/rule-helpers.js';
import { valueAt } from '../../kubernetes/pod.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: {
    id: 'kubernetes/ingress-without-tls',
    aliases: [],
    title: 'Ingress serves plain HTTP (no TLS)',
    severity: 'MEDIUM',
    category: 'network-exposure',
    references: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'],
    remediation:
      'Add `spec.tls` with the hosts and a Secret holding the certificate (cert-manager can issue one).',
    appliesTo: ['kubernetes'],
    messages: {
      noTls: '{{object}} has no spec.tls: traffic reaches it unencrypted',
    },
  },
  check(obj: K8sObject) {
    if (obj.kind !== 'Ingress') return [];
    const tls = valueAt(obj, ['spec', 'tls']);
    if (Array.isArray(tls) && tls.length > 0) return [];
    const path = tls === undefined ? (valueAt(obj, ['spec']) ? ['spec'] : []) : ['spec', 'tls'];
    return [{ ...located(obj, path), messageId: 'noTls' as const, data: { object: obj.label } }];
  },
});
