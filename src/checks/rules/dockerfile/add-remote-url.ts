import { defineRule } from '../../define-rule.js';
import { effective } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/add-remote-url',
    aliases: ['AVD-DS-0005', 'CIS-Docker-4.9'],
    title: 'ADD fetches remote content',
    severity: 'MEDIUM',
    category: 'supply-chain',
    references: [
      'https://docs.docker.com/reference/dockerfile/#add',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Download with a verified checksum (`ADD --checksum=sha256:... <url>` or `RUN curl -fsSLO <url> && sha256sum -c`), or vendor the file and COPY it.',
    appliesTo: ['dockerfile'],
    messages: { remote: 'ADD downloads {{url}} without verifying what it got' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const raw of df.instructions) {
      const ins = effective(raw);
      if (ins?.keyword !== 'ADD' || ins.flags.some((f) => f.name === 'checksum')) continue;
      for (const w of ins.args.slice(0, -1))
        if (/^(https?|git|ssh):\/\/|^git@/.test(w.value))
          out.push({ messageId: 'remote' as const, data: { url: w.value }, line: w.line, column: w.column });
    }
    return out;
  },
});
