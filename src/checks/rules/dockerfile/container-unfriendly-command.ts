import { defineRule } from '../../define-rule.js';
import { baseName, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

// Interactive or host-administration programs that do nothing useful in a build step.
const PROGRAMS = new Set(['free', 'kill', 'mount', 'ps', 'service', 'shutdown', 'ssh', 'top', 'vim']);

export default defineRule({
  meta: {
    id: 'dockerfile/container-unfriendly-command',
    aliases: ['DL3001'],
    title: 'Command that makes no sense in a build step',
    severity: 'LOW',
    category: 'correctness',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3001'],
    remediation:
      'Drop the command: a build step has no running services, terminal or mounts to manage; start services from the container entrypoint instead.',
    appliesTo: ['dockerfile'],
    messages: { pointless: '`{{program}}` in RUN: it manages a running system or needs a terminal' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const c of commands) {
        const w = c.words[0];
        if (w && PROGRAMS.has(baseName(w.value)))
          out.push({
            messageId: 'pointless' as const,
            data: { program: baseName(w.value) },
            line: w.line,
            column: w.column,
          });
      }
    return out;
  },
});
