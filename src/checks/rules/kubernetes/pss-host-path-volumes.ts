import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'hostPathVolumes',
    id: 'kubernetes/pss-host-path-volumes',
    aliases: ['AVD-KSV-0023', 'KSV023', 'CIS-Kubernetes-5.2.12'],
    title: 'Pod mounts a hostPath volume',
    severity: 'HIGH',
    remediation: 'Replace hostPath volumes with emptyDir, configMap, secret or a PersistentVolumeClaim.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'hostPathVolumes', ctx).map((r) => ({ ...r, messageId: 'violation' as const })),
});
