import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/privileged',
    aliases: ['CIS-Docker-5.5', 'docker-bench:5_5'],
    title: 'Container runs privileged',
    severity: 'CRITICAL',
    category: 'least-privilege',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Recreate the container without --privileged; add only the capabilities and devices it needs.',
    appliesTo: ['container'],
    messages: {
      privileged:
        '{{container}} runs privileged: every capability, every host device, no seccomp or AppArmor',
    },
  },
  check(c: ContainerInput) {
    return hostConfig(c).Privileged === true
      ? [at(c, { messageId: 'privileged', field: 'HostConfig.Privileged' })]
      : [];
  },
});
