import { defineRule } from '../../define-rule.js';
import { liveSecurityOptions } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onLive, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/seccomp-profile',
    aliases: ['CIS-Docker-2.17', 'docker-bench:2_17'],
    title: 'Daemon-wide seccomp filtering is off',
    severity: 'HIGH',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Remove "seccomp-profile": "unconfined"; keep the default profile or point it at a reviewed custom profile.',
    appliesTo: ['daemon', 'host'],
    messages: {
      unconfined: 'seccomp-profile is unconfined: containers reach every system call by default',
      notReported: 'the live daemon does not report seccomp among its security options',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'seccomp-profile');
    if (s?.value === 'unconfined')
      return [onSetting(facts, 'seccomp-profile', s, { messageId: 'unconfined' })];
    const live = liveSecurityOptions(facts);
    if (live && !live.includes('seccomp'))
      return [onLive(facts, { messageId: 'notReported', field: 'SecurityOptions' })];
    return [];
  },
});
