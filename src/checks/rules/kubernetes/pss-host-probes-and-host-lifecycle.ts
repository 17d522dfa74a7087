import { defineRule } from '../../define-rule.js';
import { pssMeta, pssReports } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: pssMeta({
    check: 'hostProbesAndHostLifecycle',
    id: 'kubernetes/pss-host-probes-and-host-lifecycle',
    aliases: [],
    title: 'Probe or lifecycle hook targets another host',
    severity: 'MEDIUM',
    remediation:
      'Remove `host` from httpGet/tcpSocket probes and lifecycle hooks so the kubelet only connects to the pod itself.',
  }),
  check: (obj: K8sObject, ctx) =>
    pssReports(obj, 'hostProbesAndHostLifecycle', ctx).map((r) => ({
      ...r,
      messageId: 'violation' as const,
    })),
});
