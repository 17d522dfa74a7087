import {
  admitted,
  at,
  isResource,
  listSetting,
  matchesAny,
  username,
  type AuditInput,
} from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

const READS = new Set(['get', 'list', 'watch']);

/**
 * Who reads secrets as part of running the cluster: the control plane, kubelets (for the pods they
 * run) and kube-system's controllers. Everyone else reading a secret is reported; the list is
 * replaced, not extended, by the allowedUsers setting.
 */
export const DEFAULT_SECRET_READERS = [
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:apiserver',
  'system:node:*',
  'system:serviceaccount:kube-system:*',
];

export default defineRule({
  meta: {
    id: 'audit/secret-access',
    aliases: ['K8s Secret Get Successfully'],
    title: 'Secret read or listed by a user outside the allow-list',
    severity: 'HIGH',
    category: 'credentials',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/concepts/security/secrets-good-practices/',
    ],
    remediation:
      'Check why this user read the secret; if it is expected add it to allowedUsers, otherwise rotate the secret and remove get/list/watch on secrets from the roles bound to it.',
    appliesTo: ['audit'],
    messages: {
      read: '{{user}} {{verb}} {{what}}',
    },
  },
  check(input: AuditInput, ctx) {
    const e = input.event;
    if (!READS.has(e.verb) || !isResource(e, 'secrets') || !admitted(e)) return [];
    const user = username(e);
    if (matchesAny(user, listSetting(ctx.settings, 'allowedUsers', DEFAULT_SECRET_READERS))) return [];
    const ns = e.objectRef?.namespace;
    const name = e.objectRef?.name;
    const what = name
      ? `secret ${ns ? `${ns}/` : ''}${name}`
      : `the secrets ${ns ? `of namespace ${ns}` : 'of every namespace'}`;
    return [{ ...at(input), messageId: 'read', field: 'verb', data: { user, verb: e.verb, what } }];
  },
});
