import { defineRule } from '../../define-rule.js';
import { labelPairs, labelSchema, stageHasLabel } from '../../dockerfile/labels.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/label-missing',
    aliases: ['DL3049'],
    title: 'Label required by the label schema is missing',
    severity: 'LOW',
    category: 'maintainability',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3049',
      'https://github.com/opencontainers/image-spec/blob/main/annotations.md',
    ],
    remediation:
      'Set every label of the `labelSchema` setting in each image the file can build (`LABEL org.opencontainers.image.source=...`).',
    appliesTo: ['dockerfile'],
    messages: { missing: 'stage {{stage}} has no label {{label}}' },
  },
  check(df: Dockerfile, ctx) {
    const schema = labelSchema(ctx.settings);
    if (!schema.size) return [];
    const out = [];
    const real = df.stages.filter((s) => !s.implicit);
    for (const label of schema.keys())
      for (const s of real) {
        if (stageHasLabel(df, s, label)) continue;
        // a stage only other stages use is not an image of its own: COPY --from it, or a
        // labelled stage built FROM it
        const used = s.name
          ? real.some(
              (t) =>
                t.index > s.index &&
                (t.instructions.some((i) =>
                  i.flags.some((f) => f.name === 'from' && f.flagValue.toLowerCase() === s.name),
                ) ||
                  (t.fromStage &&
                    t.image.toLowerCase() === s.name &&
                    labelPairs(t.instructions).some((p) => p.key === label))),
            )
          : false;
        if (used) continue;
        out.push({
          messageId: 'missing' as const,
          data: { stage: s.name ?? s.image, label },
          line: s.from.line,
          column: s.from.column,
        });
      }
    return out;
  },
});
