import { defineRule } from '../../define-rule.js';
import { at, portBindings } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/privileged-port',
    aliases: ['CIS-Docker-5.8', 'docker-bench:5_8'],
    title: 'Container publishes a privileged host port (below 1024)',
    severity: 'LOW',
    category: 'network',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Publish on a host port of 1024 or above, or confirm the service must own the well-known port.',
    appliesTo: ['container'],
    messages: {
      port: '{{container}} publishes {{containerPort}} on privileged host port {{hostPort}}',
    },
  },
  check(c: ContainerInput) {
    return portBindings(c)
      .filter((p) => Number.isInteger(p.hostPort) && p.hostPort > 0 && p.hostPort < 1024)
      .map((p) =>
        at(c, {
          messageId: 'port',
          field: p.field,
          data: { containerPort: p.containerPort, hostPort: p.hostPort },
        }),
      );
  },
});
