import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

const RESERVED = new Set(['scratch', 'context']);

export default defineRule({
  meta: {
    id: 'dockerfile/reserved-stage-name',
    aliases: ['DL3063'],
    title: 'Stage named with a reserved word',
    severity: 'LOW',
    category: 'correctness',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3063'],
    remediation:
      'Rename the stage: `scratch` and `context` already mean the empty image and the build context.',
    appliesTo: ['dockerfile'],
    messages: { reserved: 'stage name {{name}} is a reserved word' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const s of df.stages)
      if (s.name && RESERVED.has(s.name)) {
        const w = s.from.args.at(-1)!;
        out.push({ messageId: 'reserved' as const, data: { name: s.name }, line: w.line, column: w.column });
      }
    return out;
  },
});
