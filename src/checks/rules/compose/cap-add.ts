import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/cap-add',
    aliases: ['CIS-Docker-5.4', 'AVD-KSV-0022'],
    title: 'Extra Linux capabilities added',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Drop the added capability unless the service cannot work without it (then document why).',
    appliesTo: ['compose'],
    messages: { capAdd: 'service {{service}} adds capability {{cap}}' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      for (const it of get('cap_add')?.items ?? []) {
        const cap = String(it.value).toUpperCase().replace(/^CAP_/, '');
        // SYS_ADMIN and ALL are compose/cap-sys-admin's (critical) findings
        if (cap !== 'SYS_ADMIN' && cap !== 'ALL')
          out.push({
            messageId: 'capAdd' as const,
            data: { service: s.name, cap },
            line: it.line,
            column: it.column,
          });
      }
    }
    return out;
  },
});
