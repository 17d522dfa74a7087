import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/log-level',
    aliases: ['CIS-Docker-2.3', 'docker-bench:2_3'],
    title: 'Daemon log level is not info',
    severity: 'LOW',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation: 'Set "log-level": "info" in daemon.json (or leave it unset).',
    appliesTo: ['daemon', 'host'],
    messages: {
      bad: 'log-level is {{value}}: debug logs leak request bodies, quieter levels lose audit trail',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'log-level');
    const v = s?.value;
    return v !== undefined && v !== 'info'
      ? [onSetting(facts, 'log-level', s, { messageId: 'bad', data: { value: String(v ?? 'unset') } })]
      : [];
  },
});
