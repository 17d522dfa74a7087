import { defineRule } from '../../define-rule.js';
import { findCommands, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

// octal modes whose "others" digit has the write bit, or symbolic o+w / a+w / +w
const OCTAL = /^[0-7]*[2367]$/;
const SYMBOLIC = /(^|,)[ugo]*[ao][ugo]*\+[rxXst]*w|(^|,)\+[rxXst]*w/;

export default defineRule({
  meta: {
    id: 'dockerfile/chmod-world-writable',
    aliases: [],
    title: 'Files made world-writable',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: ['https://www.cisecurity.org/benchmark/docker'],
    remediation:
      'Give ownership to the runtime user (`COPY --chown=app`, `chown`) and use modes like 755/644 instead of 777.',
    appliesTo: ['dockerfile'],
    messages: { worldWritable: 'chmod {{mode}} lets any user in the container modify these files' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const { args } of findCommands(commands, ['chmod'])) {
        const mode = args.find((a) => !a.value.startsWith('-'));
        if (mode && (OCTAL.test(mode.value) || SYMBOLIC.test(mode.value)))
          out.push({
            messageId: 'worldWritable' as const,
            data: { mode: mode.value },
            line: mode.line,
            column: mode.column,
          });
      }
    for (const ins of df.instructions) {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      for (const f of ins.flags)
        if (f.name === 'chmod' && (OCTAL.test(f.flagValue) || SYMBOLIC.test(f.flagValue)))
          out.push({
            messageId: 'worldWritable' as const,
            data: { mode: f.flagValue },
            line: f.line,
            column: f.column,
          });
    }
    return out;
  },
});
