import { defineRule } from '../../define-rule.js';
import { findCommands, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/ln-bin-sh',
    aliases: ['DL4005'],
    title: '/bin/sh replaced with a link',
    severity: 'LOW',
    category: 'least-surprise',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL4005',
      'https://docs.docker.com/reference/dockerfile/#shell',
    ],
    remediation:
      'Use `SHELL ["/bin/bash", "-c"]` to change the shell of later RUNs instead of relinking /bin/sh for every process in the image.',
    appliesTo: ['dockerfile'],
    messages: { relink: 'ln onto /bin/sh changes the shell of every script in the image; use SHELL' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const { cmd, args } of findCommands(commands, ['ln']))
        if (args.some((a) => a.value === '/bin/sh')) {
          const w = cmd.words[0]!;
          out.push({ messageId: 'relink' as const, line: w.line, column: w.column });
        }
    return out;
  },
});
