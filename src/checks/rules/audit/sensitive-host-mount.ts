import {
  admitted,
  at,
  createdPodSpec,
  imageRepository,
  isRecord,
  listSetting,
  matchesAny,
  podContainers,
  SENSITIVE_HOST_PATHS,
  username,
  type AuditInput,
} from '../../../audit/index.js';
import { defineRule } from '../../define-rule.js';

/** `/etc/kubernetes/manifests` is under `/etc`; `/` itself only matches `/` (everything is below it). */
function sensitive(path: string, list: readonly string[]): string | undefined {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return list.find((s) => p === s || (s !== '/' && p.startsWith(`${s}/`)));
}

export default defineRule({
  meta: {
    id: 'audit/sensitive-host-mount',
    aliases: ['Create Sensitive Mount Pod'],
    title: 'Pod mounting a sensitive host path created',
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://github.com/falcosecurity/plugins/blob/main/plugins/k8saudit/rules/k8s_audit_rules.yaml',
      'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
    ],
    remediation:
      'Find out who created the pod; hostPath volumes of runtime sockets, /proc, /etc or kubelet state give the node away. Enforce the baseline Pod Security Standard and list agents that need such mounts in allowedImages.',
    appliesTo: ['audit'],
    messages: {
      mount: '{{user}} created pod {{pod}} mounting host path {{path}} (volume {{volume}})',
    },
  },
  check(input: AuditInput, ctx) {
    const e = input.event;
    const spec = createdPodSpec(e);
    if (!spec || !admitted(e) || !Array.isArray(spec.volumes)) return [];
    const images = listSetting(ctx.settings, 'allowedImages', []);
    const containers = podContainers(spec);
    if (containers.length && containers.every((c) => matchesAny(imageRepository(c.image), images))) return [];
    const paths = listSetting(ctx.settings, 'paths', SENSITIVE_HOST_PATHS);
    const a = at(input);
    const out = [];
    for (const [i, v] of spec.volumes.entries()) {
      if (!isRecord(v) || !isRecord(v.hostPath) || typeof v.hostPath.path !== 'string') continue;
      if (!sensitive(v.hostPath.path, paths)) continue;
      out.push({
        ...a,
        messageId: 'mount' as const,
        field: `requestObject.spec.volumes[${i}].hostPath.path`,
        data: {
          user: username(e),
          pod: a.object.replace(/^pods /, ''),
          path: v.hostPath.path,
          volume: typeof v.name === 'string' ? v.name : `#${i}`,
        },
      });
    }
    return out;
  },
});
