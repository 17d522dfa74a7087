import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'windowsHostProcess',
    id: 'kubernetes/pss-windows-host-process',
    aliases: ['AVD-KSV-0103', 'KSV103', 'CIS-Kubernetes-5.2.11'],
    title: 'Windows HostProcess container',
    severity: 'HIGH',
    remediation:
      'Remove `windowsOptions.hostProcess: true`; HostProcess containers have full access to the Windows host.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'windowsHostProcess', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
