import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';

export default defineRule({
  meta: {
    id: 'compose/no-user',
    aliases: ['CIS-Docker-4.1', 'AVD-KSV-0012'],
    title: 'Service runs as the image default (often root)',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Set `user: "10001:10001"` (a non-root uid) on the service.',
    appliesTo: ['compose'],
    messages: {
      noUser: 'service {{service}} sets no user, so it runs as the image user (root by default)',
      root: 'service {{service}} runs as root (user: {{user}})',
    },
  },
  check(cf: ComposeFile) {
    const out: {
      messageId: 'noUser' | 'root';
      data: Record<string, string>;
      line: number;
      column: number;
    }[] = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      const u = get('user');
      if (!u)
        out.push({
          messageId: 'noUser' as const,
          data: { service: s.name },
          line: s.node.keyLine,
          column: s.node.keyColumn,
        });
      else if (/^(root|0)(:|$)/.test(String(u.value)))
        out.push({
          messageId: 'root' as const,
          data: { service: s.name, user: String(u.value) },
          line: u.line,
          column: u.column,
        });
    }
    return out;
  },
});
