import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'seccompProfile_baseline',
    id: 'kubernetes/pss-seccomp-profile-baseline',
    aliases: ['AVD-KSV-0104', 'KSV104'],
    title: 'Seccomp explicitly disabled',
    severity: 'HIGH',
    remediation:
      'Remove `Unconfined` seccomp profiles (field or annotation); use `RuntimeDefault` or a `Localhost` profile.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'seccompProfile_baseline', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
