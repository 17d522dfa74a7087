import {
  admitted,
  at,
  createdPodSpec,
  imageRepository,
  isRecord,
  listSetting,
  matchesAny,
  podContainers,
  username,
  type AuditInput,
} from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

export default defineRule({
  meta: {
    id: 'audit/privileged-pod',
    aliases: ['Create Privileged Pod'],
    title: 'Pod with a privileged container created',
    severity: 'HIGH',
    category: 'least-privilege',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
    ],
    remediation:
      'Find out who created the pod and why it needs privileged mode; enforce the baseline Pod Security Standard in the namespace, and list images that must run privileged (CNI, node agents) in allowedImages.',
    appliesTo: ['audit'],
    messages: {
      privileged: '{{user}} created a pod with privileged container {{container}} ({{image}})',
    },
  },
  check(input: AuditInput, ctx) {
    const e = input.event;
    const spec = createdPodSpec(e);
    if (!spec || !admitted(e)) return [];
    const images = listSetting(ctx.settings, 'allowedImages', []);
    return podContainers(spec)
      .filter((c) => isRecord(c.container.securityContext) && c.container.securityContext.privileged === true)
      .filter((c) => !matchesAny(imageRepository(c.image), images))
      .map((c) => ({
        ...at(input),
        messageId: 'privileged',
        field: `${c.path}.securityContext.privileged`,
        data: { user: username(e), container: c.name, image: c.image },
      }));
  },
});
