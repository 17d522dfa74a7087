import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/authorization-plugin',
    aliases: ['CIS-Docker-2.12', 'docker-bench:2_12'],
    title: 'No authorization plugin guards the Docker API',
    severity: 'LOW',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Configure an authorization plugin ("authorization-plugins") if more than administrators reach the API.',
    appliesTo: ['daemon', 'host'],
    messages: {
      bad: 'no authorization plugin: anyone who reaches the socket has full control',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'authorization-plugins');
    const v = s?.value;
    return !Array.isArray(v) || v.length === 0
      ? [
          onSetting(facts, 'authorization-plugins', s, {
            messageId: 'bad',
            data: { value: String(v ?? 'unset') },
          }),
        ]
      : [];
  },
});
