import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/no-new-privileges-missing',
    aliases: ['CIS-Docker-5.26', 'AVD-KSV-0001'],
    title: 'no-new-privileges not set',
    severity: 'LOW',
    category: 'least-privilege',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Add `security_opt: ["no-new-privileges:true"]` so setuid binaries cannot raise privileges.',
    appliesTo: ['compose'],
    messages: { missing: 'service {{service}} does not set no-new-privileges' },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      const opts = (get('security_opt')?.items ?? []).map((i) => String(i.value));
      if (!opts.some((o) => /^no-new-privileges(:true|=true)?$/.test(o)))
        out.push({
          messageId: 'missing' as const,
          data: { service: s.name },
          line: s.node.keyLine,
          column: s.node.keyColumn,
        });
    }
    return out;
  },
});
