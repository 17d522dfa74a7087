import { defineRule } from '../../define-rule.js';
import { isTrue } from '../../host/daemon-settings.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onLive, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/experimental',
    aliases: ['CIS-Docker-2.18', 'docker-bench:2_18'],
    title: 'Experimental features are enabled',
    severity: 'LOW',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation: 'Remove "experimental": true from daemon.json on production hosts.',
    appliesTo: ['daemon', 'host'],
    messages: {
      experimental: 'experimental features are on ({{source}})',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'experimental');
    if (isTrue(s?.value))
      return [
        onSetting(facts, 'experimental', s, { messageId: 'experimental', data: { source: 'configured' } }),
      ];
    if (facts.live?.info?.ExperimentalBuild === true)
      return [
        onLive(facts, {
          messageId: 'experimental',
          field: 'ExperimentalBuild',
          data: { source: 'live /info' },
        }),
      ];
    return [];
  },
});
