import { defineRule } from '../../define-rule.js';
import { liveSecurityOptions } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/userns-remap',
    aliases: ['CIS-Docker-2.9', 'docker-bench:2_9'],
    title: 'User namespace remapping is not enabled',
    severity: 'MEDIUM',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Set "userns-remap": "default" in daemon.json (or run Docker rootless) so root in a container is not root on the host.',
    appliesTo: ['daemon', 'host'],
    messages: {
      missing: 'userns-remap is not set: root in a container is uid 0 on the host',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'userns-remap');
    if (typeof s?.value === 'string' && s.value !== '') return [];
    const live = liveSecurityOptions(facts);
    if (live?.includes('userns') || live?.includes('rootless')) return [];
    return [onSetting(facts, 'userns-remap', s, { messageId: 'missing' })];
  },
});
