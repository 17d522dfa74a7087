import { defineRule } from '../../define-rule.js';
import { effective } from '../../dockerfile/helpers.js';
import { baseName, runCommands } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/missing-pipefail',
    aliases: ['DL4006'],
    title: 'Pipe in RUN without pipefail',
    severity: 'LOW',
    category: 'reliability',
    references: ['https://github.com/hadolint/hadolint/wiki/DL4006'],
    remediation:
      'Put `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN (or `set -o pipefail &&` inside it).',
    appliesTo: ['dockerfile'],
    messages: {
      pipefail: "a failing command before the pipe is ignored: only the last command's status counts",
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const s of df.stages) {
      let pipefail = false;
      for (const raw of s.instructions) {
        const ins = effective(raw);
        if (!ins) continue;
        if (ins.keyword === 'SHELL') {
          const shell = baseName(ins.args[0]?.value ?? '').toLowerCase();
          // PowerShell and cmd have no POSIX pipes to fail; sh (dash, busybox) has no pipefail
          pipefail =
            /^(pwsh|powershell|cmd)/.test(shell) ||
            (/^(bash|zsh|ash|ksh)$/.test(shell) &&
              ins.args.some((a) => a.value === 'pipefail' || /o\s*pipefail/.test(a.value)));
        }
        if (ins.keyword !== 'RUN' || pipefail || ins.json) continue;
        if (/set\s+-[a-z]*o\s+pipefail|pipefail/.test(ins.text)) continue;
        const cmds = runCommands(ins, df.escape);
        const piped = cmds.find((c) => c.pipeTo);
        if (piped) out.push({ messageId: 'pipefail' as const, line: ins.line, column: ins.column });
      }
    }
    return out;
  },
});
