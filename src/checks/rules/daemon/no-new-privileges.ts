import { defineRule } from '../../define-rule.js';
import { isTrue } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/no-new-privileges',
    aliases: ['CIS-Docker-2.14', 'docker-bench:2_14'],
    title: 'Containers may gain new privileges by default',
    severity: 'MEDIUM',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation: 'Set "no-new-privileges": true in daemon.json.',
    appliesTo: ['daemon', 'host'],
    messages: {
      bad: 'no-new-privileges is {{value}}: setuid binaries in containers can raise privileges',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'no-new-privileges');
    const v = s?.value;
    return !isTrue(v)
      ? [
          onSetting(facts, 'no-new-privileges', s, {
            messageId: 'bad',
            data: { value: String(v ?? 'unset') },
          }),
        ]
      : [];
  },
});
