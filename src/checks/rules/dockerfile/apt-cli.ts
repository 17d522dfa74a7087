import { defineRule } from '../../define-rule.js';
import { runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/apt-cli',
    aliases: ['DL3027', 'CKV_DOCKER_9'],
    title: '`apt` used in a script',
    severity: 'LOW',
    category: 'reproducibility',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3027'],
    remediation: 'Use `apt-get` (or `apt-cache`): `apt` has no stable command-line interface for scripts.',
    appliesTo: ['dockerfile'],
    messages: { apt: '`apt` is meant for people, its output and behaviour may change; use apt-get' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const c of commands) {
        const w = c.words[0];
        if (w?.value === 'apt') out.push({ messageId: 'apt' as const, line: w.line, column: w.column });
      }
    return out;
  },
});
