import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/default-ulimits',
    aliases: ['CIS-Docker-2.8', 'docker-bench:2_8'],
    title: 'No daemon-wide default ulimits',
    severity: 'LOW',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation: 'Set "default-ulimits" (nofile, nproc) in daemon.json sized for the host.',
    appliesTo: ['daemon', 'host'],
    messages: {
      bad: 'default-ulimits is {{value}}: containers inherit the daemon limits',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'default-ulimits');
    const v = s?.value;
    return v === undefined || (typeof v === 'object' && v !== null && Object.keys(v).length === 0)
      ? [
          onSetting(facts, 'default-ulimits', s, {
            messageId: 'bad',
            data: { value: v === undefined ? 'unset' : JSON.stringify(v) },
          }),
        ]
      : [];
  },
});
