import { defineRule } from '../../define-rule.js';
import { runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/run-cd',
    aliases: ['DL3003', 'AVD-DS-0013'],
    title: 'cd inside RUN',
    severity: 'LOW',
    category: 'maintainability',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3003',
      'https://avd.aquasec.com/misconfig/ds013',
    ],
    remediation:
      'Use WORKDIR to change directory; it is visible, persists to later instructions and to the container.',
    appliesTo: ['dockerfile'],
    messages: { cd: 'use WORKDIR instead of  in RUN' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { ins, commands } of runs(df.instructions, df.escape)) {
      // heredoc scripts are real scripts where cd is normal
      const heredocStart = ins.heredocs[0]?.line ?? Infinity;
      for (const c of commands) {
        const w = c.words[0];
        if (w?.value === 'cd' && w.line < heredocStart)
          out.push({ messageId: 'cd' as const, line: w.line, column: w.column });
      }
    }
    return out;
  },
});
