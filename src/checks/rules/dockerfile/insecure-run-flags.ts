import { defineRule } from '../../define-rule.js';
import { effective } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/insecure-run-flags',
    aliases: [],
    title: 'RUN with elevated build privileges',
    severity: 'HIGH',
    category: 'least-privilege',
    references: ['https://docs.docker.com/reference/dockerfile/#run---security'],
    remediation:
      'Drop `--security=insecure`, `--privileged` and `--network=host` from RUN; do the privileged step outside the build.',
    appliesTo: ['dockerfile'],
    messages: {
      insecure: 'RUN {{flag}} runs the step without the build sandbox (full host privileges)',
      hostNetwork: "RUN --network=host gives the step the build host's network",
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const raw of df.instructions) {
      const ins = effective(raw);
      if (ins?.keyword !== 'RUN') continue;
      for (const f of ins.flags) {
        if ((f.name === 'security' && f.flagValue === 'insecure') || f.name === 'privileged')
          out.push({
            messageId: 'insecure' as const,
            data: { flag: f.value },
            line: f.line,
            column: f.column,
          });
        else if (f.name === 'network' && f.flagValue === 'host')
          out.push({ messageId: 'hostNetwork' as const, line: f.line, column: f.column });
      }
    }
    return out;
  },
});
