import {
  admitted,
  at,
  createdPodSpec,
  imageRepository,
  listSetting,
  matchesAny,
  podContainers,
  username,
  type AuditInput,
} from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

const NAMESPACES = [
  ['hostNetwork', 'network'],
  ['hostPID', 'PID'],
  ['hostIPC', 'IPC'],
] as const;

export default defineRule({
  meta: {
    id: 'audit/host-namespace-pod',
    aliases: ['Create HostNetwork Pod', 'Create HostPid Pod', 'Create HostIPC Pod'],
    title: "Pod sharing the node's network, PID or IPC namespace created",
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
    ],
    remediation:
      'Find out who created the pod; enforce the baseline Pod Security Standard (it forbids host namespaces) and list node agents that need them in allowedImages.',
    appliesTo: ['audit'],
    messages: {
      host: "{{user}} created pod {{pod}} in the node's {{namespace}} namespace ({{field}}: true)",
    },
  },
  check(input: AuditInput, ctx) {
    const e = input.event;
    const spec = createdPodSpec(e);
    if (!spec || !admitted(e)) return [];
    const images = listSetting(ctx.settings, 'allowedImages', []);
    const containers = podContainers(spec);
    // like Falco: a pod whose every image is allowed may share host namespaces
    if (containers.length && containers.every((c) => matchesAny(imageRepository(c.image), images))) return [];
    const a = at(input);
    return NAMESPACES.filter(([f]) => spec[f] === true).map(([f, label]) => ({
      ...a,
      messageId: 'host',
      field: `requestObject.spec.${f}`,
      data: { user: username(e), pod: a.object.replace(/^pods /, ''), namespace: label, field: f },
    }));
  },
});
