import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'runAsNonRoot',
    id: 'kubernetes/pss-run-as-non-root',
    aliases: ['AVD-KSV-0012', 'KSV012', 'CIS-Kubernetes-5.2.7', 'RunAsNonRoot'],
    title: 'Container may run as root',
    severity: 'MEDIUM',
    remediation:
      'Set `securityContext.runAsNonRoot: true` on the pod (or on every container) and run as a non-zero UID.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'runAsNonRoot', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
