import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'procMount',
    id: 'kubernetes/pss-proc-mount',
    aliases: ['AVD-KSV-0027', 'KSV027'],
    title: 'Container unmasks /proc',
    severity: 'HIGH',
    remediation: 'Remove `securityContext.procMount` or set it to `Default`.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'procMount', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
