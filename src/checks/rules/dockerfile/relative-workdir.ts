import { defineRule } from '../../define-rule.js';
import { expandVars } from '../../dockerfile/expand.js';
import { withVars } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';
import type { RuleReport } from '../../types.js';

// a variable may hold an absolute path; Windows paths are absolute too
// `C:\app` is absolute on Windows (written `C:app` once the escape character has taken the `\`)
const ABSOLUTE = /^(\/|\$|[A-Za-z]:)/;

export default defineRule({
  meta: {
    id: 'dockerfile/relative-workdir',
    aliases: ['DL3000', 'DL3045', 'AVD-DS-0009', 'CKV_DOCKER_10'],
    title: 'Path depends on the base image working directory',
    severity: 'MEDIUM',
    category: 'reproducibility',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3000',
      'https://github.com/hadolint/hadolint/wiki/DL3045',
      'https://avd.aquasec.com/misconfig/ds009',
    ],
    remediation:
      'Use absolute paths (`WORKDIR /app`), and set WORKDIR before copying to a relative destination.',
    appliesTo: ['dockerfile'],
    messages: {
      relative: 'WORKDIR {{path}} is relative to whatever the previous WORKDIR was',
      relativeCopy: 'COPY to relative {{path}} with no WORKDIR set: the target depends on the base image',
    },
  },
  check(df: Dockerfile) {
    const out: RuleReport<'relative' | 'relativeCopy'>[] = [];
    for (const s of df.stages) {
      // a stage built FROM another stage inherits its WORKDIR
      let workdir = s.fromStage;
      for (const { ins, vars } of withVars(df, s)) {
        if (ins.keyword === 'WORKDIR') {
          workdir = true;
          const w = ins.args[0];
          const e = w && expandVars(w.value, vars, df.escape);
          if (w && e && !e.unresolved && !ABSOLUTE.test(e.value))
            out.push({ messageId: 'relative', data: { path: e.value }, line: w.line, column: w.column });
        } else if (ins.keyword === 'COPY' && !workdir && ins.args.length >= 2) {
          const dest = ins.args.at(-1)!;
          if (!ABSOLUTE.test(dest.value))
            out.push({
              messageId: 'relativeCopy',
              data: { path: dest.value },
              line: dest.line,
              column: dest.column,
            });
        }
      }
    }
    return out;
  },
});
