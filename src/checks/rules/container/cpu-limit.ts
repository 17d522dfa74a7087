import { defineRule } from '../../define-rule.js';
import { at, hostConfig } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

const positive = (v: unknown) => typeof v === 'number' && v > 0;

export default defineRule({
  meta: {
    id: 'container/cpu-limit',
    aliases: ['CIS-Docker-5.12', 'docker-bench:5_12'],
    title: 'Container has no CPU shares, quota or CPU count set',
    severity: 'LOW',
    category: 'resources',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation: 'Run with --cpus, --cpu-quota or --cpu-shares so one container cannot starve the others.',
    appliesTo: ['container'],
    messages: {
      unlimited: '{{container}} has no CPU limit or priority (CpuShares, NanoCpus, CpuQuota all unset)',
    },
  },
  check(c: ContainerInput) {
    const h = hostConfig(c);
    // 1024 is Docker's default share, the same as leaving it unset
    const shares = positive(h.CpuShares) && h.CpuShares !== 1024;
    if (shares || positive(h.NanoCpus) || positive(h.CpuQuota)) return [];
    return [at(c, { messageId: 'unlimited', field: 'HostConfig.CpuShares' })];
  },
});
