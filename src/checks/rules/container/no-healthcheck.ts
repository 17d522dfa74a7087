import { defineRule } from '../../define-rule.js';
import { asObject, at, config, state, strings } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/no-healthcheck',
    aliases: ['CIS-Docker-5.27', 'CIS-Docker-4.6', 'docker-bench:5_27'],
    title: 'Container has no health check',
    severity: 'LOW',
    category: 'availability',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Add a HEALTHCHECK to the image or run with --health-cmd so the engine notices a hung service.',
    appliesTo: ['container'],
    messages: {
      missing: '{{container}} has no health check (Config.Healthcheck and State.Health absent)',
      disabled: '{{container}} disables the image health check (Healthcheck NONE)',
    },
  },
  check(c: ContainerInput) {
    const hc = config(c).Healthcheck;
    const test = strings(asObject(hc).Test);
    if (test[0] === 'NONE') return [at(c, { messageId: 'disabled', field: 'Config.Healthcheck.Test' })];
    if (test.length > 0 || state(c).Health) return [];
    return [at(c, { messageId: 'missing', field: 'Config.Healthcheck' })];
  },
});
