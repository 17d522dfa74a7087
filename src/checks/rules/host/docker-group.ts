import { defineRule } from '../../define-rule.js';
import type { HostFacts } from '../../host/facts.js';
import { onPath } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'host/docker-group',
    aliases: ['CIS-Docker-1.1.2', 'docker-bench:1_1_2'],
    title: 'Users in the docker group control the daemon (root-equivalent)',
    severity: 'LOW',
    category: 'host',
    references: ['https://www.cisecurity.org/benchmark/docker', 'https://docs.docker.com/engine/security/'],
    remediation:
      'Keep only trusted administrators in the docker group (gpasswd -d <user> docker); membership equals root on this host.',
    appliesTo: ['host'],
    messages: {
      member: 'user {{user}} is in group docker: it can start a privileged container and own the host',
    },
  },
  check(facts: HostFacts) {
    return (facts.dockerGroup?.members ?? []).map((user) =>
      onPath('/etc/group', 0, { messageId: 'member', field: 'docker', data: { user } }),
    );
  },
});
