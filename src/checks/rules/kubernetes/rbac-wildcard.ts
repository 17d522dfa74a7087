import { defineRule } from '../../define-rule.js';
import { isObj, located } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: {
    id: 'kubernetes/rbac-wildcard',
    aliases: [
      'AVD-KSV-0044',
      'KSV044',
      'AVD-KSV-0045',
      'KSV045',
      'AVD-KSV-0046',
      'KSV046',
      'CIS-Kubernetes-5.1.3',
    ],
    title: 'RBAC role grants wildcard verbs or resources',
    severity: 'HIGH',
    category: 'rbac',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege'],
    remediation: 'List the exact verbs and resources the subject needs instead of `*`.',
    appliesTo: ['kubernetes'],
    messages: {
      verbs: '{{object}} rule {{rule}} grants every verb (`*`)',
      resources: '{{object}} rule {{rule}} grants every resource (`*`)',
    },
  },
  check(obj: K8sObject) {
    if ((obj.kind !== 'Role' && obj.kind !== 'ClusterRole') || !Array.isArray(obj.object.rules)) return [];
    const out = [];
    for (const [i, r] of obj.object.rules.entries()) {
      if (!isObj(r)) continue;
      const data = { object: obj.label, rule: i };
      if (Array.isArray(r.verbs) && r.verbs.includes('*')) {
        const j = r.verbs.indexOf('*');
        out.push({ ...located(obj, ['rules', i, 'verbs', j]), data, messageId: 'verbs' as const });
      }
      if (Array.isArray(r.resources) && r.resources.includes('*')) {
        const j = r.resources.indexOf('*');
        out.push({ ...located(obj, ['rules', i, 'resources', j]), data, messageId: 'resources' as const });
      }
    }
    return out;
  },
});
