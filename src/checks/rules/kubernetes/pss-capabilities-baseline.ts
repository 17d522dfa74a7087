import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'capabilities_baseline',
    id: 'kubernetes/pss-capabilities-baseline',
    aliases: ['AVD-KSV-0022', 'KSV022', 'AVD-KSV-0005', 'KSV005', 'CIS-Kubernetes-5.2.9', 'CapSysAdmin'],
    title: 'Container adds capabilities beyond the default set',
    severity: 'HIGH',
    remediation:
      'Remove capabilities outside the runtime default set (NET_RAW, SYS_ADMIN, ...) from `securityContext.capabilities.add`.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'capabilities_baseline', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
