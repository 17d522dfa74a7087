import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/privileged',
    aliases: ['CIS-Docker-5.5', 'AVD-KSV-0017'],
    title: 'Service runs privileged',
    severity: 'CRITICAL',
    category: 'least-privilege',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Remove `privileged: true`; add only the capabilities and devices the service needs.',
    appliesTo: ['compose'],
    messages: {
      privileged: 'service {{service}} runs privileged: full access to the host devices and kernel',
    },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      const p = get('privileged');
      if (p && (p.value === true || p.value === 'true'))
        out.push({
          messageId: 'privileged' as const,
          data: { service: s.name },
          line: p.keyLine,
          column: p.keyColumn,
        });
    }
    return out;
  },
});
