import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { onLive } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'daemon/swarm-active',
    aliases: ['CIS-Docker-5.1', 'docker-bench:5_1'],
    title: 'Swarm mode is active',
    severity: 'LOW',
    category: 'daemon',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://docs.docker.com/reference/cli/dockerd/',
    ],
    remediation:
      'Run "docker swarm leave" on hosts that are not meant to be swarm nodes: swarm opens management ports 2377/7946/4789.',
    appliesTo: ['daemon', 'host'],
    messages: {
      active: 'swarm mode is active on this daemon ({{role}})',
    },
  },
  check(facts: HostFacts) {
    const swarm = facts.live?.info?.Swarm as
      { LocalNodeState?: unknown; ControlAvailable?: unknown } | undefined;
    if (swarm?.LocalNodeState !== 'active') return [];
    const role = swarm.ControlAvailable === true ? 'manager' : 'worker';
    return [onLive(facts, { messageId: 'active', field: 'Swarm.LocalNodeState', data: { role } })];
  },
});
