import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/host-uts',
    aliases: ['CIS-Docker-5.21', 'docker-bench:5_21'],
    title: "Container shares the host's UTS namespace",
    severity: 'MEDIUM',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Recreate the container without --uts=host; share only what it needs with specific containers.',
    appliesTo: ['container'],
    messages: {
      host: "{{container}} shares the host's UTS namespace: it can change the host's hostname (UTSMode=host)",
    },
  },
  check(c: ContainerInput) {
    return hostConfig(c).UTSMode === 'host'
      ? [at(c, { messageId: 'host', field: 'HostConfig.UTSMode' })]
      : [];
  },
});
