import { defineRule } from '../../define-rule.js';
import { baseName, runs } from '../../dockerfile/shell.js';
import type { Dockerfile } from '../../dockerfile/types.js';

const FETCH = new Set(['curl', 'wget', 'fetch']);
const SHELL = /^(sh|bash|ash|dash|zsh|ksh|python\d?(\.\d+)?|perl|ruby|node)$/;

export default defineRule({
  meta: {
    id: 'dockerfile/curl-pipe-shell',
    aliases: [],
    title: 'Downloaded script piped into a shell',
    severity: 'HIGH',
    category: 'supply-chain',
    references: ['https://docs.docker.com/build/building/best-practices/#using-pipes'],
    remediation:
      'Download to a file, verify its checksum or signature (`echo "<sha256>  install.sh" | sha256sum -c`), then run it.',
    appliesTo: ['dockerfile'],
    messages: { pipe: '{{fetch}} output is piped into {{shell}}: whatever the server sends runs unverified' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const { commands } of runs(df.instructions, df.escape))
      for (const c of commands) {
        const prog = c.words[0];
        if (!prog || !FETCH.has(baseName(prog.value)) || !c.pipeTo) continue;
        const sh = c.pipeTo.words[0];
        if (sh && SHELL.test(baseName(sh.value)))
          out.push({
            messageId: 'pipe' as const,
            data: { fetch: baseName(prog.value), shell: baseName(sh.value) },
            line: prog.line,
            column: prog.column,
          });
      }
    return out;
  },
});
