import { defineRule } from '../../define-rule.js';
import { at, isObj, located } from '../../kubernetes/rule-helpers.js';
import type { K8sObject } from '../../kubernetes/types.js';
import type { RuleReport } from '../../types.js';

// Container runtime API sockets: whoever can talk to them can start a privileged container.
const SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
  '/run/k3s/containerd/containerd.sock',
];
// Mounting a directory that holds a socket (or the host root) exposes the socket as well.
const PARENTS = new Set([
  '/',
  '/var',
  '/run',
  '/var/run',
  '/var/run/containerd',
  '/run/containerd',
  '/var/run/crio',
  '/run/crio',
  '/run/k3s',
  '/run/k3s/containerd',
]);

function normalise(p: string): string {
  const s = p.replace(/\/+/g, '/').replace(/\/$/, '');
  return s === '' ? '/' : s;
}

export default defineRule({
  meta: {
    id: 'kubernetes/host-path-runtime-socket',
    aliases: ['AVD-KSV-0006', 'KSV006', 'DockerSock', 'CIS-Kubernetes-5.2.12'],
    title: 'Container runtime socket mounted from the host',
    severity: 'CRITICAL',
    category: 'host-escape',
    references: [
      'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath',
      'https://docs.docker.com/engine/security/#docker-daemon-attack-surface',
    ],
    remediation:
      'Do not mount docker.sock, containerd.sock or crio.sock (or a directory holding them) into pods: it is root on the node. Use a dedicated, audited agent instead.',
    appliesTo: ['kubernetes'],
    messages: {
      socket: '{{object}} mounts the container runtime socket {{path}} from the host (volume {{volume}})',
      parent:
        '{{object}} mounts host directory {{path}}, which holds container runtime sockets (volume {{volume}})',
    },
  },
  check(obj: K8sObject) {
    if (!obj.podTemplatePath) return [];
    const volumesPath = [...obj.podTemplatePath, 'spec', 'volumes'];
    const volumes = at(obj.object, volumesPath);
    if (!Array.isArray(volumes)) return [];
    const out: RuleReport<'socket' | 'parent'>[] = [];
    volumes.forEach((v, i) => {
      if (!isObj(v) || !isObj(v.hostPath) || typeof v.hostPath.path !== 'string') return;
      const path = normalise(v.hostPath.path);
      const data = {
        object: obj.label,
        path: v.hostPath.path,
        volume: typeof v.name === 'string' ? v.name : '',
      };
      const where = located(obj, [...volumesPath, i, 'hostPath', 'path']);
      if (SOCKETS.includes(path) || /\/(docker|containerd|crio)\.sock$/.test(path))
        out.push({ ...where, data, messageId: 'socket' as const });
      else if (PARENTS.has(path)) out.push({ ...where, data, messageId: 'parent' as const });
    });
    return out;
  },
});
