import { admittedWrite, at, isRecord, objectName, username, type AuditInput } from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

const BINDINGS = new Set(['clusterrolebindings', 'rolebindings']);

export default defineRule({
  meta: {
    id: 'audit/cluster-admin-binding',
    aliases: ['Attach to cluster-admin Role'],
    title: 'Binding to the cluster-admin ClusterRole created or changed',
    severity: 'HIGH',
    category: 'rbac',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles',
    ],
    remediation:
      'Check who bound whom to cluster-admin: it is every permission on every resource. Remove the binding unless it is an agreed break-glass account, and bind narrower roles instead.',
    appliesTo: ['audit'],
    messages: {
      binding: '{{user}} bound {{subjects}} to cluster-admin ({{kind}} {{name}})',
    },
  },
  check(input: AuditInput) {
    const e = input.event;
    const body = admittedWrite(e, BINDINGS);
    const ref = body?.roleRef;
    if (
      !body ||
      !isRecord(ref) ||
      ref.name !== 'cluster-admin' ||
      (ref.kind !== undefined && ref.kind !== 'ClusterRole')
    )
      return [];
    const subjects = Array.isArray(body.subjects)
      ? body.subjects
          .filter(isRecord)
          .map(
            (s) =>
              `${String(s.kind ?? '?')} ${s.namespace ? `${String(s.namespace)}/` : ''}${String(s.name ?? '?')}`,
          )
      : [];
    return [
      {
        ...at(input),
        messageId: 'binding',
        field: 'requestObject.roleRef.name',
        data: {
          user: username(e),
          subjects: subjects.slice(0, 10).join(', ') || 'no subject',
          kind: e.objectRef?.resource === 'rolebindings' ? 'RoleBinding' : 'ClusterRoleBinding',
          name: objectName(e),
        },
      },
    ];
  },
});
