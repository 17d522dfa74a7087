import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/no-read-only',
    aliases: ['CIS-Docker-5.13', 'AVD-KSV-0014'],
    title: 'Root filesystem writable',
    severity: 'LOW',
    category: 'hardening',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Set `read_only: true` and mount `tmpfs` or volumes for the paths the service writes.',
    appliesTo: ['compose'],
    messages: { writable: 'service {{service}} has a writable root filesystem' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      const r = get('read_only');
      if (!r || !(r.value === true || r.value === 'true'))
        out.push({
          messageId: 'writable' as const,
          data: { service: s.name },
          line: r?.keyLine ?? s.node.keyLine,
          column: r?.keyColumn ?? s.node.keyColumn,
        });
    }
    return out;
  },
});
