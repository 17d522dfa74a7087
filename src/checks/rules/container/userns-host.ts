import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/userns-host',
    aliases: ['CIS-Docker-5.31', 'docker-bench:5_31'],
    title: 'Container opts out of user-namespace remapping',
    severity: 'MEDIUM',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Recreate the container without --userns=host; share only what it needs with specific containers.',
    appliesTo: ['container'],
    messages: {
      host: "{{container}} shares the host's user namespace: root in the container is root on the host (UsernsMode=host)",
    },
  },
  check(c: ContainerInput) {
    return hostConfig(c).UsernsMode === 'host'
      ? [at(c, { messageId: 'host', field: 'HostConfig.UsernsMode' })]
      : [];
  },
});
