import {
  admitted,
  DEFAULT_SECRET_READERS,
  at,
  isResource,
  listSetting,
  subjectAllowed,
  username,
  type AuditInput,
} from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

const READS = new Set(['get', 'list', 'watch']);

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
      'Check why this user read the secret; if it is expected add the user, its group (group:<name>) or service account to audit.allowedSecretReaders in the configuration file, otherwise rotate the secret and remove get/list/watch on secrets from the roles bound to it.',
    appliesTo: ['audit'],
    messages: {
      read: '{{user}} {{verb}} {{what}}',
    },
  },
  check(input: AuditInput, ctx) {
    const e = input.event;
    if (!READS.has(e.verb) || !isResource(e, 'secrets') || !admitted(e)) return [];
    const user = username(e);
    if (subjectAllowed(e, listSetting(ctx.settings, 'allowedUsers', DEFAULT_SECRET_READERS))) return [];
    const ns = e.objectRef?.namespace;
    const name = e.objectRef?.name;
    const what = name
      ? `secret ${ns ? `${ns}/` : ''}${name}`
      : `the secrets ${ns ? `of namespace ${ns}` : 'of every namespace'}`;
    return [{ ...at(input), messageId: 'read', field: 'verb', data: { user, verb: e.verb, what } }];
  },
});
