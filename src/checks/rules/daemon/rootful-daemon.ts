import { defineRule } from '../../define-rule.js';
import { liveSecurityOptions } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { onLive } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/rootful-daemon',
    aliases: ['CIS-Docker-2.1', 'docker-bench:2_1'],
    title: 'Docker daemon runs as root',
    severity: 'LOW',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Where the workloads allow it, run Docker in rootless mode (dockerd-rootless-setuptool.sh install).',
    appliesTo: ['daemon', 'host'],
    messages: {
      rootful: 'the live daemon runs as root (no rootless security option)',
    },
  },
  check(facts: HostFacts) {
    const live = liveSecurityOptions(facts);
    return live && !live.includes('rootless')
      ? [onLive(facts, { messageId: 'rootful', field: 'SecurityOptions' })]
      : [];
  },
});
