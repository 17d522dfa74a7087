import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/host-pid',
    aliases: ['CIS-Docker-5.16', 'docker-bench:5_16'],
    title: "Container shares the host's process namespace",
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Recreate the container without --pid=host; share only what it needs with specific containers.',
    appliesTo: ['container'],
    messages: {
      host: "{{container}} shares the host's process namespace: it sees and can signal every host process (PidMode=host)",
    },
  },
  check(c: ContainerInput) {
    return hostConfig(c).PidMode === 'host'
      ? [at(c, { messageId: 'host', field: 'HostConfig.PidMode' })]
      : [];
  },
});
