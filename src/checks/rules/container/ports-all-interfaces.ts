import { defineRule } from '../../define-rule.js';
import { at, portBindings } from '../../docker/helpers.js';
import type { ContainerInput } from '../../docker/inspect.js';

export default defineRule({
  meta: {
    id: 'container/ports-all-interfaces',
    aliases: ['CIS-Docker-5.14', 'docker-bench:5_14'],
    title: 'Container port is published on every host interface',
    severity: 'MEDIUM',
    category: 'network',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/docker/container/run/',
    ],
    remediation:
      'Bind published ports to the interface that should receive the traffic: -p 127.0.0.1:8080:80.',
    appliesTo: ['container'],
    messages: {
      wildcard: '{{container}} publishes {{containerPort}} on {{hostIp}}:{{hostPort}} (all interfaces)',
    },
  },
  check(c: ContainerInput) {
    const seen = new Set<string>();
    const out = [];
    for (const p of portBindings(c)) {
      if (p.hostIp !== '' && p.hostIp !== '0.0.0.0' && p.hostIp !== '::') continue;
      // a running container lists the port once per address family: report it once
      const key = `${p.containerPort}/${p.hostPort}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(
        at(c, {
          messageId: 'wildcard',
          field: p.field,
          data: { containerPort: p.containerPort, hostIp: p.hostIp || '0.0.0.0', hostPort: p.hostPort },
        }),
      );
    }
    return out;
  },
});
