import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/inline-ignore-pragma',
    aliases: ['DL1001'],
    title: 'Inline hadolint ignore pragma',
    severity: 'LOW',
    category: 'maintainability',
    references: ['https://github.com/hadolint/hadolint/wiki/DL1001'],
    remediation:
      'Record the exception in the ignore file (with a reason and an expiry), or use `# bulwark:ignore=<rule> reason: <why>`, instead of an unexplained `# hadolint ignore=`.',
    appliesTo: ['dockerfile'],
    messages: { pragma: '`{{comment}}` silences findings without saying why' },
  },
  check(df: Dockerfile) {
    return df.comments
      .filter((c) => /^#\s*hadolint\s+(global\s+)?ignore=/.test(c.value))
      .map((c) => ({
        messageId: 'pragma' as const,
        data: { comment: c.value },
        line: c.line,
        column: c.column,
      }));
  },
});
