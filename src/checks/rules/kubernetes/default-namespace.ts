import { defineRule } from '../../define-rule.js';
import { located } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: {
    id: 'kubernetes/default-namespace',
    aliases: ['AVD-KSV-0110', 'KSV110', 'CIS-Kubernetes-5.7.4'],
    title: 'Workload in the default namespace',
    severity: 'LOW',
    category: 'isolation',
    references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],
    remediation:
      'Set `metadata.namespace` to a dedicated namespace so RBAC, network policies and Pod Security labels can isolate the workload.',
    appliesTo: ['kubernetes'],
    messages: {
      defaultNamespace: '{{object}} runs in the default namespace',
      noNamespace: '{{object}} sets no namespace: it lands in the default namespace unless applied with -n',
    },
  },
  check(obj: K8sObject) {
    if (!obj.podTemplatePath) return [];
    const data = { object: obj.label };
    if (obj.namespace === 'default')
      return [{ ...located(obj, ['metadata', 'namespace']), data, messageId: 'defaultNamespace' as const }];
    if (obj.namespace === undefined)
      return [
        { ...located(obj, obj.object.metadata ? ['metadata'] : []), data, messageId: 'noNamespace' as const },
      ];
    return [];
  },
});
