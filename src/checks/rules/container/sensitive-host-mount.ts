import { defineRule } from '../../define-rule.js';
import { at, mounts } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';
import { isDockerSocket } from './docker-socket.js';

/** Host paths whose bind mount hands the container the host (CIS 5.6 and docker-bench's list). */
const SENSITIVE = [
  '/',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/proc',
  '/sys',
  '/usr',
  '/root',
  '/var/lib/docker',
  '/run/containerd',
  '/var/run/containerd',
  '/var/lib/kubelet',
];

function sensitiveRoot(source: string): string | undefined {
  const s = source.replace(/\/+$/, '') || '/';
  if (s === '/') return '/';
  return SENSITIVE.find((p) => p !== '/' && (s === p || s.startsWith(p + '/')));
}

export default defineRule({
  meta: {
    id: 'container/sensitive-host-mount',
    aliases: ['CIS-Docker-5.6', 'docker-bench:5_6'],
    title: 'Container mounts a sensitive host directory',
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Do not bind-mount host system directories; mount only the application data the container needs, read-only where possible.',
    appliesTo: ['container'],
    messages: {
      mount: '{{container}} mounts host {{source}} at {{destination}} ({{mode}})',
    },
  },
  check(c: ContainerInput) {
    return mounts(c)
      .filter((m) => m.type === 'bind' && sensitiveRoot(m.source) && !isDockerSocket(m.source))
      .map((m) =>
        at(c, {
          messageId: 'mount',
          field: m.field,
          data: { source: m.source, destination: m.destination, mode: m.rw ? 'read-write' : 'read-only' },
        }),
      );
  },
});
