import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/pids-limit',
    aliases: ['CIS-Docker-5.29', 'docker-bench:5_29'],
    title: 'Container has no PIDs limit',
    severity: 'LOW',
    category: 'resources',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Run with --pids-limit <n> sized for the workload, so a fork bomb stays inside the container.',
    appliesTo: ['container'],
    messages: {
      unlimited: '{{container}} has no PIDs limit (PidsLimit {{value}}): a fork bomb exhausts the host',
    },
  },
  check(c: ContainerInput) {
    const v = hostConfig(c).PidsLimit;
    // null, 0 and -1 all mean unlimited to the Engine API
    if (typeof v === 'number' && v > 0) return [];
    return [
      at(c, { messageId: 'unlimited', field: 'HostConfig.PidsLimit', data: { value: String(v ?? null) } }),
    ];
  },
});
