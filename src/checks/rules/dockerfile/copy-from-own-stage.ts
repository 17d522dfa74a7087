import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/copy-from-own-stage',
    aliases: ['DL3023', 'AVD-DS-0006'],
    title: 'COPY --from refers to its own stage',
    severity: 'MEDIUM',
    category: 'correctness',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3023',
      'https://avd.aquasec.com/misconfig/ds006',
    ],
    remediation: 'Name the stage that produced the files (`COPY --from=build`), not the stage being built.',
    appliesTo: ['dockerfile'],
    messages: { own: 'COPY --from={{from}} copies from the stage it is part of' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const s of df.stages)
      for (const ins of s.instructions) {
        if (ins.keyword !== 'COPY') continue;
        const f = ins.flags.find((x) => x.name === 'from');
        if (f && (f.flagValue.toLowerCase() === s.name || f.flagValue === String(s.index)))
          out.push({
            messageId: 'own' as const,
            data: { from: f.flagValue },
            line: f.line,
            column: f.column,
          });
      }
    return out;
  },
});
