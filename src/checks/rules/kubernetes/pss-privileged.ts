import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'privileged',
    id: 'kubernetes/pss-privileged',
    aliases: ['AVD-KSV-0017', 'KSV017', 'CIS-Kubernetes-5.2.2', 'Privileged'],
    title: 'Container runs privileged',
    severity: 'CRITICAL',
    remediation:
      'Remove `securityContext.privileged: true`; grant only the specific capabilities or devices needed.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'privileged', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
