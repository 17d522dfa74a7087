import { defineRule } from '../../define-rule.js';
import { labelSchema, stagesWithLabel } from '../../dockerfile/labels.js';
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
    // stage names used by COPY --from / RUN --mount=from= anywhere
    const copiedFrom = new Set<string>();
    for (const ins of df.instructions)
      for (const f of (ins.keyword === 'ONBUILD' ? ins.inner : ins)?.flags ?? []) {
        if (f.name === 'from') copiedFrom.add(f.flagValue.toLowerCase());
        const m = f.name === 'mount' ? /(?:^|,)from=([^,]+)/.exec(f.flagValue) : null;
        if (m) copiedFrom.add(m[1]!.toLowerCase());
      }
    for (const label of schema.keys()) {
      const { own, carried } = stagesWithLabel(df, label);
      // names of stages that a stage setting the label itself is built FROM
      const baseOfLabelled = new Set(
        real.filter((t) => t.fromStage && own.has(t)).map((t) => t.image.toLowerCase()),
      );
      for (const s of real) {
        if (carried.has(s)) continue;
        // a stage only other stages use is not an image of its own: copied from, or the base
        // of a stage that sets the label
        if (s.name && (copiedFrom.has(s.name) || baseOfLabelled.has(s.name))) continue;
        out.push({
          messageId: 'missing' as const,
          data: { stage: s.name ?? s.image, label },
          line: s.from.line,
          column: s.from.column,
        });
      }
    }
    return out;
  },
});
