import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/rootfs-writable',
    aliases: ['CIS-Docker-5.13', 'docker-bench:5_13'],
    title: 'Container root filesystem is writable',
    severity: 'LOW',
    category: 'immutability',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation: 'Run with --read-only and give the paths that must change a tmpfs or a volume.',
    appliesTo: ['container'],
    messages: {
      writable: '{{container}} has a writable root filesystem (ReadonlyRootfs false)',
    },
  },
  check(c: ContainerInput) {
    return hostConfig(c).ReadonlyRootfs === true
      ? []
      : [at(c, { messageId: 'writable', field: 'HostConfig.ReadonlyRootfs' })];
  },
});
