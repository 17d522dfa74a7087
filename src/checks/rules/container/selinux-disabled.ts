import { defineRule } from '../../define-rule.js';
import { at, securityOpts } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/selinux-disabled',
    aliases: ['CIS-Docker-5.3', 'docker-bench:5_3'],
    title: 'Container disables SELinux labelling',
    severity: 'MEDIUM',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Remove --security-opt label=disable; relabel the volumes the container needs (:z or :Z) instead.',
    appliesTo: ['container'],
    messages: {
      disabled: '{{container}} turns SELinux separation off ({{opt}})',
    },
  },
  check(c: ContainerInput) {
    return securityOpts(c)
      .filter(
        (o) =>
          o.key === 'label' &&
          (o.value === 'disable' || o.value === 'type:spc_t' || o.value === 'type=spc_t'),
      )
      .map((o) => at(c, { messageId: 'disabled', field: 'HostConfig.SecurityOpt', data: { opt: o.raw } }));
  },
});
