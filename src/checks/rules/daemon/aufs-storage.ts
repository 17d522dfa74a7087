import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { daemonSetting, onLive, onSetting } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/aufs-storage',
    aliases: ['CIS-Docker-2.6', 'docker-bench:2_6'],
    title: 'Daemon uses the aufs storage driver',
    severity: 'MEDIUM',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Move to overlay2; aufs is removed from current Docker releases and had kernel crashes under load.',
    appliesTo: ['daemon', 'host'],
    messages: {
      aufs: 'storage driver is aufs ({{source}})',
    },
  },
  check(facts: HostFacts) {
    const s = daemonSetting(facts, 'storage-driver');
    if (s?.value === 'aufs')
      return [onSetting(facts, 'storage-driver', s, { messageId: 'aufs', data: { source: 'configured' } })];
    if (facts.live?.info?.Driver === 'aufs')
      return [onLive(facts, { messageId: 'aufs', field: 'Driver', data: { source: 'live /info' } })];
    return [];
  },
});
