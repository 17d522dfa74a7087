import { defineRule } from '../../define-rule.js';
import { exposedPorts } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/expose-port-range',
    aliases: ['DL3011', 'AVD-DS-0008'],
    title: 'EXPOSE of a port outside 0-65535',
    severity: 'LOW',
    category: 'correctness',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3011',
      'https://avd.aquasec.com/misconfig/ds008',
    ],
    remediation: 'Expose a valid port number (0-65535), optionally with /tcp or /udp.',
    appliesTo: ['dockerfile'],
    messages: { range: 'EXPOSE {{port}} is not a valid UNIX port' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { port, word } of exposedPorts(df)) {
      const m = /^(\d+)(?:-(\d+))?(\/(tcp|udp|sctp))?$/i.exec(port);
      if (!m || Number(m[1]) > 65535 || Number(m[2] ?? 0) > 65535)
        out.push({ messageId: 'range' as const, data: { port }, line: word.line, column: word.column });
    }
    return out;
  },
});
