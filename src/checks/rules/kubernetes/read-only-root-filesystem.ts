import { defineRule } from '../../define-rule.js';
import { containersOf, isObj, located } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: {
    id: 'kubernetes/read-only-root-filesystem',
    aliases: ['AVD-KSV-0014', 'KSV014', 'ReadOnlyRootFilesystem'],
    title: 'Container root filesystem is writable',
    severity: 'MEDIUM',
    category: 'hardening',
    references: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
    remediation:
      'Set `securityContext.readOnlyRootFilesystem: true` and mount emptyDir volumes where the application must write.',
    appliesTo: ['kubernetes'],
    messages: {
      writable:
        'container {{container}} of {{object}} does not set securityContext.readOnlyRootFilesystem=true',
    },
  },
  check(obj: K8sObject) {
    const out = [];
    for (const c of containersOf(obj)) {
      const sc = isObj(c.c.securityContext) ? c.c.securityContext : undefined;
      if (sc?.readOnlyRootFilesystem === true) continue;
      const path =
        sc && 'readOnlyRootFilesystem' in sc
          ? [...c.path, 'securityContext', 'readOnlyRootFilesystem']
          : sc
            ? [...c.path, 'securityContext']
            : c.path;
      out.push({
        ...located(obj, path),
        messageId: 'writable' as const,
        data: { container: c.name, object: obj.label },
      });
    }
    return out;
  },
});
