import { defineRule } from '../../define-rule.js';
import { isFalse } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/iptables-disabled',
    aliases: ['CIS-Docker-2.4', 'docker-bench:2_4'],
    title: 'Docker may not manage iptables',
    severity: 'MEDIUM',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation: 'Remove "iptables": false so dockerd keeps the firewall rules in line with the containers.',
    appliesTo: ['daemon', 'host'],
    messages: {
      bad: 'iptables is {{value}}: published ports and network isolation rules are not enforced by the daemon',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'iptables');
    const v = s?.value;
    return isFalse(v)
      ? [onSetting(facts, 'iptables', s, { messageId: 'bad', data: { value: String(v ?? 'unset') } })]
      : [];
  },
});
