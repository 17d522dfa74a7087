import { defineRule } from '../../define-rule.js';
import { isFalse } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/userland-proxy',
    aliases: ['CIS-Docker-2.16', 'docker-bench:2_16'],
    title: 'Userland proxy is enabled',
    severity: 'LOW',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation: 'Set "userland-proxy": false in daemon.json (hairpin NAT does the same job).',
    appliesTo: ['daemon', 'host'],
    messages: {
      bad: 'userland-proxy is {{value}}: a docker-proxy process per published port widens the attack surface',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'userland-proxy');
    const v = s?.value;
    return !isFalse(v)
      ? [onSetting(facts, 'userland-proxy', s, { messageId: 'bad', data: { value: String(v ?? 'unset') } })]
      : [];
  },
});
