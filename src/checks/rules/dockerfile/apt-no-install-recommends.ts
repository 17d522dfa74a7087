import { defineRule } from '../../define-rule.js';
import { MANAGERS, installCommands } from '../../dockerfile/packages.js';
import { runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

const apt = MANAGERS.find((m) => m.name === 'apt')!;

export default defineRule({
  meta: {
    id: 'dockerfile/apt-no-install-recommends',
    aliases: ['DL3015', 'AVD-DS-0029'],
    title: 'apt-get install pulls recommended packages',
    severity: 'LOW',
    category: 'attack-surface',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3015',
      'https://avd.aquasec.com/misconfig/ds029',
    ],
    remediation:
      'Add `--no-install-recommends` so only the packages you name (and their dependencies) are installed.',
    appliesTo: ['dockerfile'],
    messages: {
      recommends: 'apt-get install without --no-install-recommends adds packages nobody asked for',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const c of installCommands(commands, apt)) {
        const words = c.all.map((w) => w.value);
        if (
          words.includes('--no-install-recommends') ||
          words.some((w) => /APT::Install-Recommends=(false|0)/i.test(w))
        )
          continue;
        out.push({ messageId: 'recommends' as const, line: c.program.line, column: c.program.column });
      }
    return out;
  },
});
