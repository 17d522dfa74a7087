import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

const FORBIDDEN = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

export default defineRule({
  meta: {
    id: 'dockerfile/onbuild-trigger-invalid',
    aliases: ['DL3043'],
    title: 'ONBUILD triggers ONBUILD, FROM or MAINTAINER',
    severity: 'MEDIUM',
    category: 'correctness',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3043',
      'https://docs.docker.com/reference/dockerfile/#onbuild',
    ],
    remediation:
      'Remove the trigger: ONBUILD cannot chain ONBUILD, and FROM and MAINTAINER are not allowed as triggers.',
    appliesTo: ['dockerfile'],
    messages: { forbidden: 'ONBUILD {{keyword}} is not allowed: the downstream build fails' },
  },
  check(df: Dockerfile) {
    return df.instructions.flatMap((ins) =>
      ins.keyword === 'ONBUILD' && ins.inner && FORBIDDEN.has(ins.inner.keyword)
        ? [
            {
              messageId: 'forbidden' as const,
              data: { keyword: ins.inner.keyword },
              line: ins.inner.line,
              column: ins.inner.column,
            },
          ]
        : [],
    );
  },
});
