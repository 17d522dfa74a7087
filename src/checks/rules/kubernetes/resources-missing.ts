import { defineRule } from '../../define-rule.js';
import { at, containersOf, isObj, located } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';

const CHECKS = [
  ['limits', 'cpu', 'missingCpuLimit'],
  ['limits', 'memory', 'missingMemoryLimit'],
  ['requests', 'cpu', 'missingCpuRequest'],
  ['requests', 'memory', 'missingMemoryRequest'],
] as const;

export default defineRule({
  meta: {
    id: 'kubernetes/resources-missing',
    aliases: [
      'AVD-KSV-0011',
      'KSV011',
      'AVD-KSV-0018',
      'KSV018',
      'AVD-KSV-0015',
      'KSV015',
      'AVD-KSV-0016',
      'KSV016',
      'LimitsCPU',
      'LimitsMemory',
      'RequestsCPU',
      'RequestsMemory',
    ],
    title: 'Container without CPU or memory requests and limits',
    severity: 'MEDIUM',
    category: 'resource-exhaustion',
    references: ['https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/'],
    remediation:
      'Set `resources.requests` and `resources.limits` for cpu and memory on every container so one workload cannot starve the node.',
    appliesTo: ['kubernetes'],
    messages: {
      missingCpuLimit: 'container {{container}} of {{object}} has no CPU limit',
      missingMemoryLimit: 'container {{container}} of {{object}} has no memory limit',
      missingCpuRequest: 'container {{container}} of {{object}} has no CPU request',
      missingMemoryRequest: 'container {{container}} of {{object}} has no memory request',
    },
  },
  check(obj: K8sObject) {
    const out = [];
    for (const c of containersOf(obj)) {
      // ephemeral (debug) containers cannot have resources
      if (c.kind === 'ephemeralContainers') continue;
      const resources = isObj(c.c.resources) ? c.c.resources : {};
      const where = located(obj, isObj(c.c.resources) ? [...c.path, 'resources'] : c.path);
      const data = { container: c.name, object: obj.label };
      for (const [section, res, id] of CHECKS) {
        const v = at(resources, [section, res]);
        if (v !== undefined && v !== null && v !== '') continue;
        if (id === 'missingCpuLimit') out.push({ ...where, data, messageId: 'missingCpuLimit' as const });
        else if (id === 'missingMemoryLimit')
          out.push({ ...where, data, messageId: 'missingMemoryLimit' as const });
        else if (id === 'missingCpuRequest')
          out.push({ ...where, data, messageId: 'missingCpuRequest' as const });
        else out.push({ ...where, data, messageId: 'missingMemoryRequest' as const });
      }
    }
    return out;
  },
});
