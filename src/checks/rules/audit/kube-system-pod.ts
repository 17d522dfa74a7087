import {
  admitted,
  at,
  createdPodSpec,
  DEFAULT_SYSTEM_NAMESPACES,
  imageRepository,
  listSetting,
  matchesAny,
  podContainers,
  subjectAllowed,
  username,
  type AuditInput,
} from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

export default defineRule({
  meta: {
    id: 'audit/kube-system-pod',
    aliases: ['Pod Created in Kube Namespace'],
    title: 'Pod created in kube-system or kube-public by a user',
    severity: 'MEDIUM',
    category: 'runtime',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/concepts/security/multi-tenancy/',
    ],
    remediation:
      'Pods in kube-system run next to the control plane with its service accounts: they should come from controllers, not people. Check the pod and who created it; list expected users and images under kubeSystemPods in the audit section of the configuration file.',
    appliesTo: ['audit'],
    messages: {
      pod: '{{user}} created pod {{pod}} in {{namespace}} (images: {{images}})',
    },
  },
  check(input: AuditInput, ctx) {
    const e = input.event;
    const spec = createdPodSpec(e);
    if (!spec || !admitted(e)) return [];
    const ns = e.objectRef?.namespace ?? '';
    if (!listSetting(ctx.settings, 'namespaces', DEFAULT_SYSTEM_NAMESPACES).includes(ns)) return [];
    // controllers and kubelets (mirror pods) are system users; a person or a workload's token is not
    const user = username(e);
    const system = user.startsWith('system:') && !user.startsWith('system:serviceaccount:');
    const kubeSystemSa = user.startsWith('system:serviceaccount:kube-system:');
    if (system || kubeSystemSa || subjectAllowed(e, listSetting(ctx.settings, 'allowedUsers', []))) return [];
    const containers = podContainers(spec);
    const images = listSetting(ctx.settings, 'allowedImages', []);
    if (containers.length && containers.every((c) => matchesAny(imageRepository(c.image), images))) return [];
    const a = at(input);
    return [
      {
        ...a,
        messageId: 'pod',
        field: 'objectRef.namespace',
        data: {
          user,
          pod: a.object.replace(/^pods /, ''),
          namespace: ns,
          images: containers.map((c) => c.image).join(', ') || 'none',
        },
      },
    ];
  },
});
