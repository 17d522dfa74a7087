import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'runAsUser',
    id: 'kubernetes/pss-run-as-user',
    aliases: ['AVD-KSV-0105', 'KSV105', 'RunAsUser'],
    title: 'Container runs as UID 0',
    severity: 'MEDIUM',
    remediation: 'Remove `runAsUser: 0`; run as a non-zero UID.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'runAsUser', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
