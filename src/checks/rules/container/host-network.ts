import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/host-network',
    aliases: ['CIS-Docker-5.10', 'docker-bench:5_10'],
    title: "Container uses the host's network namespace",
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Recreate the container without --network=host; share only what it needs with specific containers.',
    appliesTo: ['container'],
    messages: {
      host: "{{container}} shares the host's network stack: it can bind any host port and reach host-only services (NetworkMode=host)",
    },
  },
  check(c: ContainerInput) {
    return hostConfig(c).NetworkMode === 'host'
      ? [at(c, { messageId: 'host', field: 'HostConfig.NetworkMode' })]
      : [];
  },
});
