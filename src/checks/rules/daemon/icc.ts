import { defineRule } from '../../define-rule.js';
import { isFalse } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/icc',
    aliases: ['CIS-Docker-2.2', 'docker-bench:2_2'],
    title: 'Inter-container communication on the default bridge is not restricted',
    severity: 'MEDIUM',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Set "icc": false in daemon.json and let containers that must talk share a user-defined network.',
    appliesTo: ['daemon', 'host'],
    messages: {
      bad: 'icc is {{value}}: every container on docker0 can reach every other',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'icc');
    const v = s?.value;
    return !isFalse(v)
      ? [onSetting(facts, 'icc', s, { messageId: 'bad', data: { value: String(v ?? 'unset') } })]
      : [];
  },
});
