import { defineRule } from '../../define-rule.js';
import { fileExpectations } from '../../host/expectations.js';
import type { HostFacts } from '../../host/facts.js';
import { onPath } from '../../host/report.js';

const octal = (m: number) => m.toString(8).padStart(3, '0');

export default defineRule({
  meta: {
    id: 'host/file-permissions',
    aliases: [
      'CIS-Docker-3.2',
      'CIS-Docker-3.4',
      'CIS-Docker-3.6',
      'CIS-Docker-3.8',
      'CIS-Docker-3.10',
      'CIS-Docker-3.12',
      'CIS-Docker-3.14',
      'CIS-Docker-3.16',
      'CIS-Docker-3.18',
      'CIS-Docker-3.20',
      'CIS-Docker-3.22',
      'CIS-Docker-3.24',
      'docker-bench:3_2',
      'docker-bench:3_4',
      'docker-bench:3_6',
      'docker-bench:3_8',
      'docker-bench:3_10',
      'docker-bench:3_12',
      'docker-bench:3_14',
      'docker-bench:3_16',
      'docker-bench:3_18',
      'docker-bench:3_20',
      'docker-bench:3_22',
      'docker-bench:3_24',
    ],
    title: 'Docker daemon file is more open than CIS allows',
    severity: 'HIGH',
    category: 'host',
    references: ['https://www.cisecurity.org/benchmark/docker', 'https://docs.docker.com/engine/security/'],
    remediation:
      'chmod 644 units and daemon.json, 755 /etc/docker, 444 certificates, 400 the TLS key, 660 the Docker socket.',
    appliesTo: ['host'],
    messages: {
      mode: '{{path}} has mode {{actual}}, at most {{expected}} allowed ({{cis}})',
    },
  },
  check(facts: HostFacts) {
    const out = [];
    for (const e of fileExpectations(facts)) {
      const f = facts.files.find((x) => x.path === e.path);
      if (!f?.exists || f.mode === undefined || (f.mode & ~e.maxMode) === 0) continue;
      out.push(
        onPath(e.path, 0, {
          messageId: 'mode',
          field: 'mode',
          data: { path: e.path, actual: octal(f.mode), expected: octal(e.maxMode), cis: e.cisMode },
        }),
      );
    }
    return out;
  },
});
