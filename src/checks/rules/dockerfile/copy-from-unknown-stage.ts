import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/copy-from-unknown-stage',
    aliases: ['DL3022'],
    title: 'COPY --from names no earlier stage',
    severity: 'LOW',
    category: 'supply-chain',
    references: ['https://github.com/hadolint/hadolint/wiki/DL3022'],
    remediation:
      'Define the stage before copying from it, or write the full image reference with a tag and digest when copying from an image on purpose.',
    appliesTo: ['dockerfile'],
    messages: { unknown: 'COPY --from={{from}} is no earlier stage, so an image of that name is pulled' },
  },
  check(df: Dockerfile) {
    const out = [];
    const firstIndex = new Map<string, number>();
    for (const s of df.stages) if (s.name && !firstIndex.has(s.name)) firstIndex.set(s.name, s.index);
    for (const s of df.stages)
      for (const ins of s.instructions) {
        if (ins.keyword !== 'COPY') continue;
        const f = ins.flags.find((x) => x.name === 'from');
        if (!f || f.flagValue.includes('$')) continue;
        const v = f.flagValue.toLowerCase();
        const named = firstIndex.get(v);
        if (/^\d+$/.test(v) ? Number(v) < s.index : named !== undefined && named < s.index) continue;
        // an explicit image reference (tag or digest or registry) is a deliberate choice
        if (/[:@/]/.test(v)) continue;
        out.push({
          messageId: 'unknown' as const,
          data: { from: f.flagValue },
          line: f.line,
          column: f.column,
        });
      }
    return out;
  },
});
