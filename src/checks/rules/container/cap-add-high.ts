import { defineRule } from '../../define-rule.js';
import { at, hostConfig, normalizeCap, strings } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

/** Host-wide powers short of an outright escape: network stack, clock, reboot, eBPF, MAC policy. */
export const HIGH_CAPS = new Set([
  'NET_ADMIN',
  'SYS_BOOT',
  'SYS_TIME',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'SYSLOG',
  'SYS_RESOURCE',
  'LINUX_IMMUTABLE',
]);

export default defineRule({
  meta: {
    id: 'container/cap-add-high',
    aliases: ['CIS-Docker-5.4', 'docker-bench:5_4'],
    title: 'Container adds a host-wide capability (NET_ADMIN, SYS_TIME, BPF, ...)',
    severity: 'HIGH',
    category: 'least-privilege',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Remove the capability from --cap-add unless the workload truly manages the host (a CNI agent, a time daemon).',
    appliesTo: ['container'],
    messages: {
      capAdd: '{{container}} adds capability {{cap}}, which acts on the whole host',
    },
  },
  check(c: ContainerInput) {
    return strings(hostConfig(c).CapAdd)
      .map(normalizeCap)
      .filter((cap) => HIGH_CAPS.has(cap))
      .map((cap) => at(c, { messageId: 'capAdd', field: 'HostConfig.CapAdd', data: { cap } }));
  },
});
