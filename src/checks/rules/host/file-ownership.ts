import { defineRule } from '../../define-rule.js';
import { fileExpectations } from '../../host/expectations.js';
import type { HostFacts } from '../../host/facts.js';
import { onPath } from '../../host/report.js';

export default defineRule({
  meta: {
    id: 'host/file-ownership',
    aliases: [
      'CIS-Docker-3.1',
      'CIS-Docker-3.3',
      'CIS-Docker-3.5',
      'CIS-Docker-3.7',
      'CIS-Docker-3.9',
      'CIS-Docker-3.11',
      'CIS-Docker-3.13',
      'CIS-Docker-3.15',
      'CIS-Docker-3.17',
      'CIS-Docker-3.19',
      'CIS-Docker-3.21',
      'CIS-Docker-3.23',
      'docker-bench:3_1',
      'docker-bench:3_3',
      'docker-bench:3_5',
      'docker-bench:3_7',
      'docker-bench:3_9',
      'docker-bench:3_11',
      'docker-bench:3_13',
      'docker-bench:3_15',
      'docker-bench:3_17',
      'docker-bench:3_19',
      'docker-bench:3_21',
      'docker-bench:3_23',
    ],
    title: 'Docker daemon file not owned by root (socket: root:docker)',
    severity: 'HIGH',
    category: 'host',
    references: ['https://www.cisecurity.org/benchmark/docker', 'https://docs.docker.com/engine/security/'],
    remediation:
      'chown root:root the Docker units, /etc/docker, its certificates and daemon.json; chown root:docker the Docker socket.',
    appliesTo: ['host'],
    messages: {
      owner: '{{path}} is owned by {{actual}}, expected {{expected}} ({{cis}})',
    },
  },
  check(facts: HostFacts) {
    const out = [];
    const dockerGid = facts.dockerGroup?.gid;
    for (const e of fileExpectations(facts)) {
      const f = facts.files.find((x) => x.path === e.path);
      if (!f?.exists || f.uid === undefined || f.gid === undefined) continue;
      // without a docker group in /etc/group the socket's group cannot be judged, only its owner
      const gidOk = e.owner === 'root:root' ? f.gid === 0 : dockerGid === undefined || f.gid === dockerGid;
      if (f.uid === 0 && gidOk) continue;
      out.push(
        onPath(e.path, 0, {
          messageId: 'owner',
          field: 'owner',
          data: { path: e.path, actual: `${f.uid}:${f.gid}`, expected: e.owner, cis: e.cisOwner },
        }),
      );
    }
    return out;
  },
});
