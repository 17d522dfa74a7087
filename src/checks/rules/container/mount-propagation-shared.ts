import { defineRule } from '../../define-rule.js';
import { at, mounts } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/mount-propagation-shared',
    aliases: ['CIS-Docker-5.20', 'docker-bench:5_20'],
    title: 'Container mount uses shared propagation',
    severity: 'MEDIUM',
    category: 'isolation',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Use the default rprivate propagation (or slave) unless the container must publish mounts back to the host.',
    appliesTo: ['container'],
    messages: {
      shared:
        '{{container}} mounts {{destination}} with {{propagation}} propagation: its mounts show up on the host',
    },
  },
  check(c: ContainerInput) {
    return mounts(c)
      .filter((m) => m.propagation === 'shared' || m.propagation === 'rshared')
      .map((m) =>
        at(c, {
          messageId: 'shared',
          field: `${m.field}.Propagation`,
          data: { destination: m.destination, propagation: m.propagation },
        }),
      );
  },
});
