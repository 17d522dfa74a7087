import { defineRule } from '../../define-rule.js';
import { isObj, located } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: {
    id: 'kubernetes/rbac-cluster-admin-binding',
    aliases: ['CIS-Kubernetes-5.1.1'],
    title: 'Binding grants cluster-admin',
    severity: 'HIGH',
    category: 'rbac',
    references: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles'],
    remediation:
      'Bind a role with only the permissions the subjects need; keep cluster-admin for break-glass accounts.',
    appliesTo: ['kubernetes'],
    messages: {
      clusterAdmin: '{{object}} binds the cluster-admin ClusterRole to {{subjects}}',
    },
  },
  check(obj: K8sObject) {
    if (obj.kind !== 'RoleBinding' && obj.kind !== 'ClusterRoleBinding') return [];
    const ref = obj.object.roleRef;
    if (!isObj(ref) || ref.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') return [];
    const subjects = Array.isArray(obj.object.subjects)
      ? obj.object.subjects
          .filter(isObj)
          .map((s) => `${String(s.kind ?? '')}/${String(s.name ?? '')}`)
          .join(', ')
      : '';
    return [
      {
        ...located(obj, ['roleRef', 'name']),
        messageId: 'clusterAdmin' as const,
        data: { object: obj.label, subjects: subjects || 'no subjects' },
      },
    ];
  },
});
