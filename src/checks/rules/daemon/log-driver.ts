import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/log-driver',
    aliases: ['CIS-Docker-2.13', 'docker-bench:2_13'],
    title: 'No centralized logging driver configured',
    severity: 'LOW',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Set "log-driver" to a remote driver (syslog, journald forwarding, fluentd, gelf) in daemon.json.',
    appliesTo: ['daemon', 'host'],
    messages: {
      bad: 'log-driver is {{value}}: container logs stay on this host only',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'log-driver');
    const v = s?.value;
    return v === undefined || v === 'json-file' || v === 'local'
      ? [onSetting(facts, 'log-driver', s, { messageId: 'bad', data: { value: String(v ?? 'unset') } })]
      : [];
  },
});
