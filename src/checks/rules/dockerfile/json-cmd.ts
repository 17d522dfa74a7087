import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

/** `HEALTHCHECK [options] CMD ["app", "health"]`: the exec form is the JSON array after CMD. */
const isExecForm = (text: string) => /\bCMD\s+\[/i.test(text);

export default defineRule({
  meta: {
    id: 'dockerfile/json-cmd',
    aliases: ['DL3025'],
    title: 'CMD or ENTRYPOINT in shell form',
    severity: 'LOW',
    category: 'reliability',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3025',
      'https://docs.docker.com/reference/dockerfile/#shell-and-exec-form',
    ],
    remediation: 'Use the exec form (`CMD ["app", "--flag"]`) so the process is PID 1 and receives SIGTERM.',
    appliesTo: ['dockerfile'],
    messages: {
      shellForm: '{{keyword}} in shell form: the process runs under /bin/sh -c and misses stop signals',
      healthcheckShellForm:
        'HEALTHCHECK CMD in shell form needs /bin/sh in the image (distroless and scratch have none)',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const ins of df.instructions)
      if ((ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') && !ins.json && ins.args.length)
        out.push({
          messageId: 'shellForm' as const,
          data: { keyword: ins.keyword },
          line: ins.line,
          column: ins.column,
        });
      else if (
        ins.keyword === 'HEALTHCHECK' &&
        ins.args[0]?.value.toUpperCase() === 'CMD' &&
        !isExecForm(ins.text)
      )
        out.push({ messageId: 'healthcheckShellForm' as const, line: ins.line, column: ins.column });
    return out;
  },
});
