import { defineRule } from '../../define-rule.js';
import { at, hostConfig, normalizeCap, strings } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

/** Each of these alone is a known container escape or a kernel-wide power. */
export const CRITICAL_CAPS = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'DAC_READ_SEARCH',
]);

export default defineRule({
  meta: {
    id: 'container/cap-add-critical',
    aliases: ['CIS-Docker-5.4', 'docker-bench:5_4'],
    title: 'Container adds an escape-grade capability (ALL, SYS_ADMIN, SYS_MODULE, ...)',
    severity: 'CRITICAL',
    category: 'least-privilege',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Remove the capability from --cap-add; grant the narrow capability the workload needs instead.',
    appliesTo: ['container'],
    messages: {
      capAdd: '{{container}} adds capability {{cap}}, enough to escape to the host',
    },
  },
  check(c: ContainerInput) {
    return strings(hostConfig(c).CapAdd)
      .map(normalizeCap)
      .filter((cap) => CRITICAL_CAPS.has(cap))
      .map((cap) => at(c, { messageId: 'capAdd', field: 'HostConfig.CapAdd', data: { cap } }));
  },
});
