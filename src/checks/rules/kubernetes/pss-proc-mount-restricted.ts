import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'procMount_restricted',
    id: 'kubernetes/pss-proc-mount-restricted',
    aliases: ['AVD-KSV-0027', 'KSV027'],
    title: 'Container unmasks /proc in a user namespace',
    severity: 'MEDIUM',
    remediation:
      'Remove `securityContext.procMount` or set it to `Default`; restricted allows no unmasked /proc even with `hostUsers: false`.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'procMount_restricted', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
