import { defineRule } from '../../define-rule.js';
import { at, hostConfig, normalizeCap, strings } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';
import { CRITICAL_CAPS } from './cap-add-critical.js';
import { HIGH_CAPS } from './cap-add-high.js';

export default defineRule({
  meta: {
    id: 'container/cap-add',
    aliases: ['CIS-Docker-5.4', 'docker-bench:5_4'],
    title: 'Container adds a capability beyond the default set',
    severity: 'LOW',
    category: 'least-privilege',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Confirm the workload needs each added capability; prefer --cap-drop=ALL plus the few it needs.',
    appliesTo: ['container'],
    messages: {
      capAdd: '{{container}} adds capability {{cap}}',
    },
  },
  check(c: ContainerInput) {
    // the critical and high sets have their own rules, so one capability is reported once
    return strings(hostConfig(c).CapAdd)
      .map(normalizeCap)
      .filter((cap) => cap && !CRITICAL_CAPS.has(cap) && !HIGH_CAPS.has(cap))
      .map((cap) => at(c, { messageId: 'capAdd', field: 'HostConfig.CapAdd', data: { cap } }));
  },
});
