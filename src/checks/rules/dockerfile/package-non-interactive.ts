import { defineRule } from '../../define-rule.js';
import { MANAGERS, installCommands } from '../../dockerfile/packages.js';
import { runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

const YES: Record<string, (w: string) => boolean> = {
  apt: (w) => /^-[a-zA-Z]*y/.test(w) || w === '--yes' || w === '--assume-yes' || w === '-qq' || w === '-q=2',
  yum: (w) => /^-[a-zA-Z]*y/.test(w) || w === '--assumeyes',
  dnf: (w) => /^-[a-zA-Z]*y/.test(w) || w === '--assumeyes',
  zypper: (w) => /^-[a-zA-Z]*[ny]/.test(w) || w === '--non-interactive' || w === '--no-confirm',
};

function quietLevel(words: { value: string }[]): number {
  let n = 0;
  for (const { value: w } of words)
    if (w === '--quiet') n++;
    else if (/^-[a-zA-Z]+$/.test(w)) n += [...w].filter((c) => c === 'q').length;
  return n;
}

export default defineRule({
  meta: {
    id: 'dockerfile/package-non-interactive',
    aliases: ['DL3014', 'DL3030', 'DL3034', 'DL3038', 'AVD-DS-0021'],
    title: 'Package install waits for a confirmation',
    severity: 'LOW',
    category: 'reproducibility',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3014',
      'https://github.com/hadolint/hadolint/wiki/DL3030',
      'https://avd.aquasec.com/misconfig/ds021',
    ],
    remediation:
      'Answer yes up front: `apt-get install -y`, `yum install -y`, `dnf install -y`, `zypper --non-interactive install`.',
    appliesTo: ['dockerfile'],
    messages: { prompt: '{{program}} install without a yes flag fails or hangs in a non-interactive build' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const spec of MANAGERS) {
        const yes = YES[spec.name];
        if (!yes) continue;
        for (const c of installCommands(commands, spec)) {
          if (c.all.some((w) => yes(w.value))) continue;
          // apt's quiet level 2 (`-q -q`, `--quiet --quiet`) implies --yes
          if (spec.name === 'apt' && quietLevel(c.all) >= 2) continue;
          out.push({
            messageId: 'prompt' as const,
            data: { program: c.program.value },
            line: c.program.line,
            column: c.program.column,
          });
        }
      }
    return out;
  },
});
