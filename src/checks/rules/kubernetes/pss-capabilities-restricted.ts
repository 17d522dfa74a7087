import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'capabilities_restricted',
    id: 'kubernetes/pss-capabilities-restricted',
    aliases: [
      'AVD-KSV-0003',
      'KSV003',
      'AVD-KSV-0106',
      'KSV106',
      'CIS-Kubernetes-5.2.8',
      'CIS-Kubernetes-5.2.10',
    ],
    title: 'Container does not drop ALL capabilities',
    severity: 'MEDIUM',
    remediation: 'Set `securityContext.capabilities.drop: ["ALL"]` and add back at most `NET_BIND_SERVICE`.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'capabilities_restricted', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
