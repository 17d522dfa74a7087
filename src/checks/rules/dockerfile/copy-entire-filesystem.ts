import { defineRule } from '../../define-rule.js';
import { effective } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/copy-entire-filesystem',
    aliases: ['DL3067'],
    title: 'COPY of a whole stage filesystem',
    severity: 'LOW',
    category: 'attack-surface',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3067'],
    remediation:
      'Copy only the build output (`COPY --from=build /app/bin /app/`): copying / brings the build stage along.',
    appliesTo: ['dockerfile'],
    messages: { wholeFs: 'COPY --from={{from}} / / copies the entire filesystem of the other stage' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const raw of df.instructions) {
      const ins = effective(raw);
      if (ins?.keyword !== 'COPY') continue;
      const from = ins.flags.find((f) => f.name === 'from');
      if (!from || ins.args.length < 2) continue;
      const dest = ins.args.at(-1)!;
      if (dest.value === '/' && ins.args.slice(0, -1).some((a) => a.value === '/'))
        out.push({
          messageId: 'wholeFs' as const,
          data: { from: from.flagValue },
          line: ins.line,
          column: ins.column,
        });
    }
    return out;
  },
});
