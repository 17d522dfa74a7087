import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/duplicate-stage-name',
    aliases: ['DL3024', 'AVD-DS-0012', 'CKV_DOCKER_11'],
    title: 'Two stages share a name',
    severity: 'MEDIUM',
    category: 'correctness',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3024',
      'https://avd.aquasec.com/misconfig/ds012',
    ],
    remediation: 'Give each stage a unique name so COPY --from and --target pick the stage you mean.',
    appliesTo: ['dockerfile'],
    messages: { duplicate: 'stage name {{name}} is already used by an earlier stage' },
  },
  check(df: Dockerfile) {
    const out = [];
    const seen = new Set<string>();
    for (const s of df.stages) {
      if (!s.name) continue;
      if (seen.has(s.name)) {
        const w = s.from.args.at(-1)!;
        out.push({ messageId: 'duplicate' as const, data: { name: s.name }, line: w.line, column: w.column });
      }
      seen.add(s.name);
    }
    return out;
  },
});
