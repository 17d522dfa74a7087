import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'seccompProfile_restricted',
    id: 'kubernetes/pss-seccomp-profile-restricted',
    aliases: ['AVD-KSV-0030', 'KSV030', 'CIS-Kubernetes-5.7.2', 'SeccompAny'],
    title: 'Seccomp profile not set to RuntimeDefault or Localhost',
    severity: 'LOW',
    remediation:
      'Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod (or `Localhost` with a profile).',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'seccompProfile_restricted', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
