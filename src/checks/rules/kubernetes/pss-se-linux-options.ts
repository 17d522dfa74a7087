import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'seLinuxOptions',
    id: 'kubernetes/pss-se-linux-options',
    aliases: ['AVD-KSV-0025', 'KSV025'],
    title: 'Custom SELinux type, user or role',
    severity: 'MEDIUM',
    remediation: 'Remove `seLinuxOptions.user` and `.role`, and use only the container_t family of types.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'seLinuxOptions', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
