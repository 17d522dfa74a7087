import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onLive, onSetting } from '../../host/report.js';

const LOCAL = new Set(['json-file', 'local', 'none']);

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
    if (typeof v === 'string')
      return LOCAL.has(v)
        ? [onSetting(facts, 'log-driver', s, { messageId: 'bad', data: { value: v } })]
        : [];
    // nothing in the files: the running daemon says which driver it uses
    const live = facts.live?.info?.LoggingDriver;
    if (typeof live === 'string')
      return LOCAL.has(live)
        ? [
            onLive(facts, {
              messageId: 'bad',
              field: 'LoggingDriver',
              data: { value: `${live} (live /info)` },
            }),
          ]
        : [];
    return [onSetting(facts, 'log-driver', s, { messageId: 'bad', data: { value: 'unset' } })];
  },
});
