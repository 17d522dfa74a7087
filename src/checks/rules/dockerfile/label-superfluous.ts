import { defineRule } from '../../define-rule.js';
import { labelPairs, labelSchema } from '../../dockerfile/labels.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/label-superfluous',
    aliases: ['DL3050'],
    title: 'Label outside the label schema',
    severity: 'LOW',
    category: 'maintainability',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3050'],
    remediation:
      'Add the label to the `labelSchema` setting or remove it; with `strictLabels` only schema labels are allowed.',
    appliesTo: ['dockerfile'],
    messages: { superfluous: 'label {{label}} is not in the label schema' },
  },
  check(df: Dockerfile, ctx) {
    if (ctx.settings.strictLabels !== true) return [];
    const schema = labelSchema(ctx.settings);
    return labelPairs(df.instructions)
      .filter((p) => !schema.has(p.key))
      .map((p) => ({
        messageId: 'superfluous' as const,
        data: { label: p.key },
        line: p.line,
        column: p.column,
      }));
  },
});
