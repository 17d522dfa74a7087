import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/cap-drop-all',
    aliases: ['CIS-Docker-5.4', 'AVD-KSV-0003'],
    title: 'Capabilities not dropped',
    severity: 'LOW',
    category: 'least-privilege',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Add `cap_drop: [ALL]` and then `cap_add` back only what the service needs.',
    appliesTo: ['compose'],
    messages: {
      noDropAll: 'service {{service}} keeps the default capabilities; drop ALL and add back what it needs',
    },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      const drop = get('cap_drop')?.items ?? [];
      if (!drop.some((d) => String(d.value).toUpperCase() === 'ALL'))
        out.push({
          messageId: 'noDropAll' as const,
          data: { service: s.name },
          line: s.node.keyLine,
          column: s.node.keyColumn,
        });
    }
    return out;
  },
});
