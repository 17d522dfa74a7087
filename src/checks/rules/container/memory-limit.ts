import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/memory-limit',
    aliases: ['CIS-Docker-5.11', 'docker-bench:5_11'],
    title: 'Container has no memory limit',
    severity: 'LOW',
    category: 'resources',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation: 'Run with --memory <size> so one container cannot push the host into the OOM killer.',
    appliesTo: ['container'],
    messages: {
      unlimited: '{{container}} has no memory limit (HostConfig.Memory 0)',
    },
  },
  check(c: ContainerInput) {
    const v = hostConfig(c).Memory;
    return typeof v === 'number' && v > 0
      ? []
      : [at(c, { messageId: 'unlimited', field: 'HostConfig.Memory' })];
  },
});
