import { admittedWrite, at, isRecord, objectName, username, type AuditInput } from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

const ROLES = new Set(['clusterroles', 'roles']);
const FIELDS = ['verbs', 'resources', 'apiGroups'] as const;

export default defineRule({
  meta: {
    id: 'audit/wildcard-role',
    aliases: ['ClusterRole With Wildcard Created'],
    title: 'Role or ClusterRole with wildcard verbs, resources or API groups created',
    severity: 'MEDIUM',
    category: 'rbac',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/concepts/security/rbac-good-practices/',
    ],
    remediation:
      'Replace "*" with the verbs and resources the role needs: a wildcard also grants every resource and verb added to the cluster later (secrets, escalate, impersonate).',
    appliesTo: ['audit'],
    messages: {
      wildcard: '{{user}} wrote {{kind}} {{name}} with "*" in rules[{{rule}}].{{list}}',
    },
  },
  check(input: AuditInput) {
    const e = input.event;
    const body = admittedWrite(e, ROLES);
    if (!Array.isArray(body?.rules)) return [];
    const a = at(input);
    const name = objectName(e);
    const out = [];
    for (const [i, r] of body.rules.entries()) {
      if (!isRecord(r)) continue;
      for (const list of FIELDS) {
        const v = r[list];
        if (!Array.isArray(v) || !v.includes('*')) continue;
        out.push({
          ...a,
          messageId: 'wildcard' as const,
          field: `requestObject.rules[${i}].${list}`,
          data: {
            user: username(e),
            kind: e.objectRef?.resource === 'roles' ? 'Role' : 'ClusterRole',
            name,
            rule: i,
            list,
          },
        });
      }
    }
    return out;
  },
});
