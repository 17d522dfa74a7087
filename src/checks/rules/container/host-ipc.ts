import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/host-ipc',
    aliases: ['CIS-Docker-5.17', 'docker-bench:5_17'],
    title: "Container shares the host's IPC namespace",
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Recreate the container without --ipc=host; share only what it needs with specific containers.',
    appliesTo: ['container'],
    messages: {
      host: "{{container}} shares the host's IPC namespace: shared memory of host processes is reachable (IpcMode=host)",
    },
  },
  check(c: ContainerInput) {
    return hostConfig(c).IpcMode === 'host'
      ? [at(c, { messageId: 'host', field: 'HostConfig.IpcMode' })]
      : [];
  },
});
