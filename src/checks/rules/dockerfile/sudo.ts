import { defineRule } from '../../define-rule.js';
import { baseName, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/sudo',
    aliases: ['DL3004', 'AVD-DS-0010', 'CKV2_DOCKER_1'],
    title: 'sudo used in RUN',
    severity: 'HIGH',
    category: 'least-privilege',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3004',
      'https://avd.aquasec.com/misconfig/ds010',
    ],
    remediation:
      'Run the step as root with `USER root` and switch back to the unprivileged user afterwards; do not install sudo in images.',
    appliesTo: ['dockerfile'],
    messages: { sudo: 'sudo in a build step: it implies sudo is installed and configured in the image' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const c of commands) {
        const w = c.raw.find((x) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(x.value));
        if (w && baseName(w.value) === 'sudo')
          out.push({ messageId: 'sudo' as const, line: w.line, column: w.column });
      }
    return out;
  },
});
