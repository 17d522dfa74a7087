import { defineRule } from '../../define-rule.js';
import { exposedPorts } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/expose-ssh',
    aliases: ['AVD-DS-0004', 'CKV_DOCKER_1'],
    title: 'SSH port 22 exposed',
    severity: 'MEDIUM',
    category: 'attack-surface',
    references: ['https://avd.aquasec.com/misconfig/ds004', 'https://www.cisecurity.org/benchmark/docker'],
    remediation:
      'Do not run sshd in containers; use `docker exec` / `kubectl exec` for access and drop EXPOSE 22.',
    appliesTo: ['dockerfile'],
    messages: { ssh: 'EXPOSE {{port}} publishes SSH, a remote login service, from the container' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { port, word } of exposedPorts(df)) {
      const m = /^(\d+)(?:-(\d+))?(\/tcp)?$/i.exec(port);
      if (m && Number(m[1]) <= 22 && Number(m[2] ?? m[1]) >= 22)
        out.push({ messageId: 'ssh' as const, data: { port }, line: word.line, column: word.column });
    }
    return out;
  },
});
