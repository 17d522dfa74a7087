import { defineRule } from '../../define-rule.js';
import { effective } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/copy-multi-source-dest',
    aliases: ['DL3021'],
    title: 'COPY of several sources to a destination without a trailing slash',
    severity: 'MEDIUM',
    category: 'correctness',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3021',
      'https://docs.docker.com/reference/dockerfile/#copy',
    ],
    remediation:
      'End the destination with `/` (`COPY a b /app/`): several sources can only be copied into a directory.',
    appliesTo: ['dockerfile'],
    messages: {
      noSlash: 'COPY of {{count}} sources to {{dest}}: the destination must be a directory ending in /',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const raw of df.instructions) {
      const ins = effective(raw);
      if (ins?.keyword !== 'COPY' || ins.heredocs.length || ins.args.length < 3) continue;
      const dest = ins.args.at(-1)!;
      if (dest.value.endsWith('/')) continue;
      out.push({
        messageId: 'noSlash' as const,
        data: { count: ins.args.length - 1, dest: dest.value },
        line: dest.line,
        column: dest.column,
      });
    }
    return out;
  },
});
