import { defineRule } from '../../define-rule.js';
import { runCommands } from '../../dockerfile/shell.js';
import type { Dockerfile, Instruction } from '../../dockerfile/types.js';

const flagsOf = (ins: Instruction) =>
  ins.flags
    .map((f) => `${f.name}=${f.flagValue}`)
    .sort()
    .join(' ');

export default defineRule({
  meta: {
    id: 'dockerfile/consecutive-run',
    aliases: ['DL3059'],
    title: 'Consecutive single-command RUN instructions',
    severity: 'LOW',
    category: 'image-hygiene',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3059',
      'https://docs.docker.com/build/building/best-practices/#run',
    ],
    remediation: 'Join the commands into one RUN with `&&` (or a heredoc): each RUN adds a layer.',
    appliesTo: ['dockerfile'],
    messages: {
      consolidate: 'RUN right after another single-command RUN with the same flags: one layer would do',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const s of df.stages) {
      let prev: Instruction | undefined;
      for (const ins of s.instructions) {
        if (ins.keyword !== 'RUN') {
          prev = undefined;
          continue;
        }
        // RUNs that already chain commands were split on purpose (cache boundaries); so were RUNs
        // with different mounts or network settings
        const single = !ins.heredocs.length && runCommands(ins, df.escape).length === 1;
        if (prev && single && flagsOf(prev) === flagsOf(ins))
          out.push({ messageId: 'consolidate' as const, line: ins.line, column: ins.column });
        prev = single ? ins : undefined;
      }
    }
    return out;
  },
});
