import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/relative-workdir',
    aliases: ['DL3000', 'AVD-DS-0009', 'CKV_DOCKER_10'],
    title: 'WORKDIR is a relative path',
    severity: 'MEDIUM',
    category: 'reliability',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3000',
      'https://avd.aquasec.com/misconfig/ds009',
    ],
    remediation: 'Use an absolute path (`WORKDIR /app`) so the result does not depend on the base image.',
    appliesTo: ['dockerfile'],
    messages: { relative: 'WORKDIR {{path}} is relative to whatever the previous WORKDIR was' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const ins of df.instructions) {
      if (ins.keyword !== 'WORKDIR') continue;
      const w = ins.args[0];
      // a variable may hold an absolute path; Windows paths are absolute too
      if (!w || /^(\/|\$|[A-Za-z]:[\\/])/.test(w.value)) continue;
      out.push({ messageId: 'relative' as const, data: { path: w.value }, line: w.line, column: w.column });
    }
    return out;
  },
});
