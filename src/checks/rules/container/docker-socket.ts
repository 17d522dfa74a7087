import { defineRule } from '../../define-rule.js';
import { at, mounts } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

const SOCKETS = new Set([
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/run/containerd/containerd.sock',
  '/var/run/containerd/containerd.sock',
  '/run/podman/podman.sock',
  '/run/crio/crio.sock',
  '/var/run/crio/crio.sock',
]);

export const isDockerSocket = (source: string): boolean => SOCKETS.has(source.replace(/\/+$/, ''));

export default defineRule({
  meta: {
    id: 'container/docker-socket',
    aliases: ['CIS-Docker-5.32', 'docker-bench:5_32'],
    title: 'Container mounts the Docker (or containerd) socket',
    severity: 'CRITICAL',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Do not mount the engine socket; an agent that needs the API should use a restricted proxy or a rootless engine.',
    appliesTo: ['container'],
    messages: {
      socket: '{{container}} mounts {{source}}: whoever controls it controls the host',
    },
  },
  check(c: ContainerInput) {
    return mounts(c)
      .filter((m) => isDockerSocket(m.source))
      .map((m) => at(c, { messageId: 'socket', field: m.field, data: { source: m.source } }));
  },
});
