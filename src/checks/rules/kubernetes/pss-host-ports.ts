import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'hostPorts',
    id: 'kubernetes/pss-host-ports',
    aliases: ['AVD-KSV-0024', 'KSV024', 'CIS-Kubernetes-5.2.13'],
    title: 'Container binds a host port',
    severity: 'HIGH',
    remediation: 'Remove `hostPort`; expose the container through a Service instead.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'hostPorts', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
