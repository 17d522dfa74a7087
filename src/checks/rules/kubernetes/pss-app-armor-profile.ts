import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'appArmorProfile',
    id: 'kubernetes/pss-app-armor-profile',
    aliases: ['AVD-KSV-0002', 'KSV002', 'ApparmorAny'],
    title: 'AppArmor profile disabled or overridden',
    severity: 'HIGH',
    remediation:
      'Remove `Unconfined` AppArmor profiles; use `RuntimeDefault` or a `Localhost` profile (field `securityContext.appArmorProfile` or the beta annotation `runtime/default`/`localhost/*`).',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'appArmorProfile', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
