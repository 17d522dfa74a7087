import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/maintainer',
    aliases: ['DL4000', 'AVD-DS-0022', 'CKV_DOCKER_6'],
    title: 'MAINTAINER is deprecated',
    severity: 'LOW',
    category: 'maintainability',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL4000',
      'https://avd.aquasec.com/misconfig/ds022',
    ],
    remediation: 'Use `LABEL org.opencontainers.image.authors="..."` instead of MAINTAINER.',
    appliesTo: ['dockerfile'],
    messages: { deprecated: 'MAINTAINER is deprecated; use the org.opencontainers.image.authors label' },
  },
  check(df: Dockerfile) {
    return df.instructions
      .filter((i) => i.keyword === 'MAINTAINER')
      .map((i) => ({ messageId: 'deprecated' as const, line: i.line, column: i.column }));
  },
});
