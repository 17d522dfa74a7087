import { defineRule } from '../../define-rule.js';
import { at, isObj, located } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: {
    id: 'kubernetes/service-account-token-automount',
    aliases: ['AVD-KSV-0036', 'KSV036', 'CIS-Kubernetes-5.1.6'],
    title: 'Service account token mounted automatically',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting',
    ],
    remediation:
      'Set `automountServiceAccountToken: false` on the pod (or its ServiceAccount) unless the workload calls the Kubernetes API.',
    appliesTo: ['kubernetes'],
    messages: {
      automount: '{{object}} mounts a service account token (automountServiceAccountToken is not false)',
      serviceAccount:
        'ServiceAccount {{name}} lets pods mount its token (automountServiceAccountToken is not false)',
    },
  },
  check(obj: K8sObject) {
    if (obj.kind === 'ServiceAccount') {
      if (obj.object.automountServiceAccountToken === false) return [];
      const path = 'automountServiceAccountToken' in obj.object ? ['automountServiceAccountToken'] : [];
      return [{ ...located(obj, path), messageId: 'serviceAccount' as const, data: { name: obj.name } }];
    }
    if (!obj.podTemplatePath) return [];
    const specPath = [...obj.podTemplatePath, 'spec'];
    const spec = at(obj.object, specPath);
    if (!isObj(spec) || spec.automountServiceAccountToken === false) return [];
    const path =
      'automountServiceAccountToken' in spec ? [...specPath, 'automountServiceAccountToken'] : specPath;
    return [{ ...located(obj, path), messageId: 'automount' as const, data: { object: obj.label } }];
  },
});
