import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/insecure-registries',
    aliases: ['CIS-Docker-2.5', 'docker-bench:2_5'],
    title: 'Daemon trusts insecure registries',
    severity: 'HIGH',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Remove "insecure-registries" / --insecure-registry; give the registry a TLS certificate (or trust its CA in /etc/docker/certs.d).',
    appliesTo: ['daemon', 'host'],
    messages: {
      insecure:
        'registry {{registry}} is pulled from without TLS verification: images can be swapped in transit',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'insecure-registries');
    const list = Array.isArray(s?.value) ? (s.value as unknown[]) : [];
    // the daemon always lists 127.0.0.0/8 as insecure; only what the operator added counts
    return list
      .filter((r): r is string => typeof r === 'string' && r !== '127.0.0.0/8')
      .map((registry) =>
        onSetting(facts, 'insecure-registries', s, { messageId: 'insecure', data: { registry } }),
      );
  },
});
