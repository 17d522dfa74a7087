import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'sysctls',
    id: 'kubernetes/pss-sysctls',
    aliases: ['AVD-KSV-0026', 'KSV026'],
    title: 'Pod sets an unsafe sysctl',
    severity: 'HIGH',
    remediation:
      'Set only the namespaced, isolated sysctls the Pod Security Standards allow; tune others on the node.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'sysctls', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
