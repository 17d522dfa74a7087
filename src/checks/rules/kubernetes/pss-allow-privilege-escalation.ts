import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'allowPrivilegeEscalation',
    id: 'kubernetes/pss-allow-privilege-escalation',
    aliases: ['AVD-KSV-0001', 'KSV001', 'CIS-Kubernetes-5.2.6', 'AllowPrivilegeEscalation'],
    title: 'Container allows privilege escalation',
    severity: 'MEDIUM',
    remediation:
      'Set `securityContext.allowPrivilegeEscalation: false` on every container (init and ephemeral containers too).',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'allowPrivilegeEscalation', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
