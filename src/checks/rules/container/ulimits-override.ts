import { defineRule } from '../../define-rule.js';
import { asObject, at, hostConfig, str } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/ulimits-override',
    aliases: ['CIS-Docker-5.19', 'docker-bench:5_19'],
    title: "Container overrides the daemon's default ulimits",
    severity: 'LOW',
    category: 'resources',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Rely on the daemon-wide --default-ulimit; override per container only where the workload is known to need it.',
    appliesTo: ['container'],
    messages: {
      ulimit: '{{container}} overrides ulimit {{name}} (soft {{soft}}, hard {{hard}})',
    },
  },
  check(c: ContainerInput) {
    const list = hostConfig(c).Ulimits;
    if (!Array.isArray(list)) return [];
    return list.map((u, i) => {
      const o = asObject(u);
      return at(c, {
        messageId: 'ulimit',
        field: `HostConfig.Ulimits[${i}]`,
        data: { name: str(o.Name) || '?', soft: String(o.Soft ?? '?'), hard: String(o.Hard ?? '?') },
      });
    });
  },
});
