import { defineRule } from '../../define-rule.js';
import { findCommands, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

// `--progress=...`, quiet, no-verbose, or a log file: each keeps the progress bar out of the build log
const QUIET_LONG = /^--(progress|quiet|no-verbose|output-file|append-output)(=|$)/;

export default defineRule({
  meta: {
    id: 'dockerfile/wget-progress',
    aliases: ['DL3047'],
    title: 'wget without a progress setting',
    severity: 'LOW',
    category: 'maintainability',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3047'],
    remediation:
      'Use `wget --progress=dot:giga <url>`, or `-q` / `-nv`, so large downloads do not flood the build log.',
    appliesTo: ['dockerfile'],
    messages: { progress: 'wget without --progress, -q or -nv fills the build log with a progress bar' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const { cmd, args } of findCommands(commands, ['wget'])) {
        const quiet = args.some(
          (a) => QUIET_LONG.test(a.value) || a.value === '-nv' || /^-[a-zA-Z]*[qoa]/.test(a.value),
        );
        if (quiet) continue;
        const w = cmd.words[0]!;
        out.push({ messageId: 'progress' as const, line: w.line, column: w.column });
      }
    return out;
  },
});
