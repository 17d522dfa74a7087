import { defineRule } from '../../define-rule.js';
import { findCommands, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/wget-and-curl',
    aliases: ['DL4001'],
    title: 'Both wget and curl used in one stage',
    severity: 'LOW',
    category: 'attack-surface',
    references: ['https://github.com/hadolint/hadolint/wiki/DL4001'],
    remediation:
      'Use one download tool per image (and remove it when done): two ship twice the code for the same job.',
    appliesTo: ['dockerfile'],
    messages: { both: '{{tool}} here, and {{other}} earlier in this stage: pick one download tool' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const s of df.stages) {
      const seen = new Set<string>();
      for (const { commands } of runs(s.instructions, df.escape)) {
        const here = findCommands(commands, ['curl', 'wget']);
        for (const { cmd } of here) seen.add(cmd.words[0]!.value.replace(/^.*\//, ''));
        const first = here[0];
        if (first && seen.size >= 2) {
          const tool = first.cmd.words[0]!.value.replace(/^.*\//, '');
          const w = first.cmd.words[0]!;
          out.push({
            messageId: 'both' as const,
            data: { tool, other: tool === 'curl' ? 'wget' : 'curl' },
            line: w.line,
            column: w.column,
          });
        }
      }
    }
    return out;
  },
});
