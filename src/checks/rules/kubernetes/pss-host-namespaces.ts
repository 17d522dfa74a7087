import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'hostNamespaces',
    id: 'kubernetes/pss-host-namespaces',
    aliases: [
      'AVD-KSV-0008',
      'KSV008',
      'AVD-KSV-0009',
      'KSV009',
      'AVD-KSV-0010',
      'KSV010',
      'CIS-Kubernetes-5.2.3',
      'CIS-Kubernetes-5.2.4',
      'CIS-Kubernetes-5.2.5',
      'HostNetwork',
      'HostPID',
      'HostIPC',
    ],
    title: 'Pod shares host namespaces',
    severity: 'HIGH',
    remediation: 'Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to false).',
  }),
  // PSA reports one "host namespaces" violation that lists every field it found set; so does this
  // rule, at the first of them (one finding per field would repeat the same message).
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'hostNamespaces', ctx)
      .slice(0, 1)
      .map((r) => ({ ...r, messageId: 'violation' as const })),
});
