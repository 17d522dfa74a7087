import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/instruction-before-from',
    aliases: ['DL3061'],
    title: 'Instruction before the first FROM',
    severity: 'MEDIUM',
    category: 'correctness',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3061',
      'https://docs.docker.com/reference/dockerfile/#format',
    ],
    remediation:
      'Start the file with FROM; only ARG (and parser directives and comments) may come before it.',
    appliesTo: ['dockerfile'],
    messages: { beforeFrom: '{{keyword}} before the first FROM: the build fails' },
  },
  check(df: Dockerfile) {
    for (const ins of df.instructions) {
      if (ins.keyword === 'FROM') return [];
      if (ins.keyword !== 'ARG')
        return [
          {
            messageId: 'beforeFrom' as const,
            data: { keyword: ins.keyword },
            line: ins.line,
            column: ins.column,
          },
        ];
    }
    return [];
  },
});
