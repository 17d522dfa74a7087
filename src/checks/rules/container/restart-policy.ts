import { defineRule } from '../../define-rule.js';
import { asObject, at, hostConfig, str } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/restart-policy',
    aliases: ['CIS-Docker-5.15', 'docker-bench:5_15'],
    title: 'Container restarts without bound (restart policy always or unlimited on-failure)',
    severity: 'LOW',
    category: 'availability',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Use --restart on-failure:5 so a crashing container stops instead of looping and hiding a compromise or a denial of service.',
    appliesTo: ['container'],
    messages: {
      always: '{{container}} has restart policy {{policy}}: it restarts forever',
      unbounded:
        '{{container}} has restart policy on-failure with MaximumRetryCount {{max}} (CIS asks for at most 5)',
    },
  },
  check(c: ContainerInput) {
    const rp = asObject(hostConfig(c).RestartPolicy);
    const policy = str(rp.Name);
    if (policy === 'always' || policy === 'unless-stopped')
      return [at(c, { messageId: 'always', field: 'HostConfig.RestartPolicy.Name', data: { policy } })];
    if (policy === 'on-failure') {
      const max = typeof rp.MaximumRetryCount === 'number' ? rp.MaximumRetryCount : 0;
      if (max <= 0 || max > 5)
        return [
          at(c, {
            messageId: 'unbounded',
            field: 'HostConfig.RestartPolicy.MaximumRetryCount',
            data: { max },
          }),
        ];
    }
    return [];
  },
});
