import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/cgroupns-host',
    aliases: ['CIS-Docker-5.25', 'docker-bench:5_25'],
    title: "Container uses the host's cgroup namespace",
    severity: 'MEDIUM',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Recreate the container without --cgroupns=host; share only what it needs with specific containers.',
    appliesTo: ['container'],
    messages: {
      host: "{{container}} shares the host's cgroup namespace: it sees the host's whole cgroup tree (CgroupnsMode=host)",
    },
  },
  check(c: ContainerInput) {
    return hostConfig(c).CgroupnsMode === 'host'
      ? [at(c, { messageId: 'host', field: 'HostConfig.CgroupnsMode' })]
      : [];
  },
});
