import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/cap-sys-admin',
    aliases: ['CIS-Docker-5.4', 'AVD-KSV-0005'],
    title: 'SYS_ADMIN or ALL capabilities added',
    severity: 'CRITICAL',
    category: 'least-privilege',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Remove SYS_ADMIN / ALL from `cap_add`; it is nearly equivalent to root on the host.',
    appliesTo: ['compose'],
    messages: { sysAdmin: 'service {{service}} adds {{cap}}, which allows escaping the container' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      for (const it of get('cap_add')?.items ?? []) {
        const cap = String(it.value).toUpperCase().replace(/^CAP_/, '');
        if (cap === 'SYS_ADMIN' || cap === 'ALL')
          out.push({
            messageId: 'sysAdmin' as const,
            data: { service: s.name, cap },
            line: it.line,
            column: it.column,
          });
      }
    }
    return out;
  },
});
