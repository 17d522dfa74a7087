import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/duplicate-instruction',
    aliases: ['DL4003', 'DL4004', 'DL3012', 'AVD-DS-0007', 'AVD-DS-0016', 'AVD-DS-0023'],
    title: 'CMD, ENTRYPOINT or HEALTHCHECK repeated in a stage',
    severity: 'MEDIUM',
    category: 'correctness',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL4003',
      'https://github.com/hadolint/hadolint/wiki/DL4004',
      'https://github.com/hadolint/hadolint/wiki/DL3012',
      'https://avd.aquasec.com/misconfig/ds016',
    ],
    remediation:
      'Keep one CMD, one ENTRYPOINT and one HEALTHCHECK per stage; only the last one takes effect.',
    appliesTo: ['dockerfile'],
    messages: {
      repeated: '{{keyword}} repeated in this stage: the earlier one at line {{first}} is silently ignored',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const s of df.stages) {
      const first = new Map<string, number>();
      for (const ins of s.instructions) {
        if (!['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(ins.keyword)) continue;
        const f = first.get(ins.keyword);
        if (f === undefined) first.set(ins.keyword, ins.line);
        else
          out.push({
            messageId: 'repeated' as const,
            data: { keyword: ins.keyword, first: f },
            line: ins.line,
            column: ins.column,
          });
      }
    }
    return out;
  },
});
