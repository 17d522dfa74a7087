import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'restrictedVolumes',
    id: 'kubernetes/pss-restricted-volumes',
    aliases: ['AVD-KSV-0028', 'KSV028'],
    title: 'Pod uses a volume type outside the restricted set',
    severity: 'MEDIUM',
    remediation:
      'Use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'restrictedVolumes', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
