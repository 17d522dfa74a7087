import { defineRule } from '../../define-rule.js';
import { asObject, at, hostConfig, networkSettings, str } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/default-bridge',
    aliases: ['CIS-Docker-5.30', 'docker-bench:5_30'],
    title: 'Container uses the default bridge network (docker0)',
    severity: 'LOW',
    category: 'network',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Attach the container to a user-defined network (docker network create) so only the containers that must talk share it.',
    appliesTo: ['container'],
    messages: {
      bridge:
        '{{container}} is on the default bridge docker0 ({{field}}): every container there can reach it',
    },
  },
  check(c: ContainerInput) {
    const mode = str(hostConfig(c).NetworkMode);
    if (mode === 'default' || mode === 'bridge')
      return [
        at(c, {
          messageId: 'bridge',
          field: 'HostConfig.NetworkMode',
          data: { field: `NetworkMode ${mode}` },
        }),
      ];
    if ('bridge' in asObject(networkSettings(c).Networks))
      return [
        at(c, {
          messageId: 'bridge',
          field: 'NetworkSettings.Networks.bridge',
          data: { field: 'Networks.bridge' },
        }),
      ];
    return [];
  },
});
