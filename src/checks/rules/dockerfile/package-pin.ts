import { defineRule } from '../../define-rule.js';
import { MANAGERS, installCommands, packageWords } from '../../dockerfile/packages.js';
import { runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/package-pin',
    aliases: ['DL3008', 'DL3013', 'DL3016', 'DL3018', 'DL3028', 'DL3033', 'DL3037', 'DL3041', 'DL3062'],
    title: 'Package installed without a pinned version',
    severity: 'MEDIUM',
    category: 'reproducibility',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3008',
      'https://github.com/hadolint/hadolint/wiki/DL3018',
      'https://github.com/hadolint/hadolint/wiki/DL3013',
      'https://github.com/hadolint/hadolint/wiki/DL3016',
    ],
    remediation:
      'Pin each package (`apt-get install curl=7.88.1-10+deb12u8`, `apk add curl=8.5.0-r0`, `pip install flask==3.0.3`, `npm install -g pnpm@9.1.0`, `go install golang.org/x/tools/cmd/goimports@v0.24.0`) or install from a lock file.',
    appliesTo: ['dockerfile'],
    messages: { unpinned: '{{manager}} installs {{package}} without a pinned version' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const spec of MANAGERS)
        for (const c of installCommands(commands, spec))
          for (const w of packageWords(spec, c.args))
            if (!spec.pinned(w.value, c.args))
              out.push({
                messageId: 'unpinned' as const,
                data: { manager: spec.name, package: w.value },
                line: w.line,
                column: w.column,
              });
    return out;
  },
});
