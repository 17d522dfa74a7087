import { defineRule } from '../../define-rule.js';
import { at, securityOpts } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/seccomp-unconfined',
    aliases: ['CIS-Docker-5.22', 'docker-bench:5_22'],
    title: 'Container runs without a seccomp profile',
    severity: 'HIGH',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Drop --security-opt seccomp=unconfined; use the default profile or a custom one that allows what the workload needs.',
    appliesTo: ['container'],
    messages: {
      unconfined: '{{container}} disables seccomp ({{opt}}): every system call reaches the host kernel',
    },
  },
  check(c: ContainerInput) {
    return securityOpts(c)
      .filter((o) => o.key === 'seccomp' && o.value === 'unconfined')
      .map((o) => at(c, { messageId: 'unconfined', field: 'HostConfig.SecurityOpt', data: { opt: o.raw } }));
  },
});
