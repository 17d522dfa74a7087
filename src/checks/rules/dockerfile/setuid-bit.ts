import { defineRule } from '../../define-rule.js';
import { findCommands, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

// 4-digit octal modes with the setuid (4) or setgid (2) bit, or symbolic u+s / g+s / +s
const OCTAL = /^0?[2-7][0-7]{3}$/;
const SYMBOLIC = /(^|,)[ugoa]*\+[rwxXt]*s/;
const setsId = (mode: string) => OCTAL.test(mode) && (Number.parseInt(mode, 8) & 0o6000) !== 0;

export default defineRule({
  meta: {
    id: 'dockerfile/setuid-bit',
    aliases: ['CIS-Docker-4.8'],
    title: 'setuid or setgid bit added',
    severity: 'MEDIUM',
    category: 'least-privilege',
    references: [
      'https://www.cisecurity.org/benchmark/docker',
      'https://man7.org/linux/man-pages/man1/chmod.1.html',
    ],
    remediation:
      'Do not add setuid/setgid bits; give the program the one capability it needs (`setcap`) or run the step as the right user.',
    appliesTo: ['dockerfile'],
    messages: {
      setuid: "chmod {{mode}} sets the setuid/setgid bit: any user can run this file with its owner's rights",
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const { args } of findCommands(commands, ['chmod'])) {
        const mode = args.find((a) => !a.value.startsWith('-'));
        if (mode && (setsId(mode.value) || SYMBOLIC.test(mode.value)))
          out.push({
            messageId: 'setuid' as const,
            data: { mode: mode.value },
            line: mode.line,
            column: mode.column,
          });
      }
    for (const ins of df.instructions) {
      if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
      for (const f of ins.flags)
        if (f.name === 'chmod' && setsId(f.flagValue))
          out.push({
            messageId: 'setuid' as const,
            data: { mode: f.flagValue },
            line: f.line,
            column: f.column,
          });
    }
    return out;
  },
});
