import { defineRule } from '../../define-rule.js';
import { shippedStages } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/missing-healthcheck',
    aliases: ['DL3057', 'AVD-DS-0026', 'CIS-Docker-4.6', 'CKV_DOCKER_2'],
    title: 'No HEALTHCHECK',
    severity: 'LOW',
    category: 'reliability',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3057',
      'https://avd.aquasec.com/misconfig/ds026',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Add `HEALTHCHECK CMD ["/app", "healthcheck"]` (or rely on orchestrator probes and suppress this rule with a reason).',
    appliesTo: ['dockerfile'],
    messages: {
      missing: 'the final stage has no HEALTHCHECK, so a hung container looks healthy',
      disabled: 'HEALTHCHECK NONE turns off the health check the image would otherwise have',
    },
  },
  check(df: Dockerfile) {
    const chain = shippedStages(df);
    const last = chain[0];
    // scratch images are not exempt: the static binary they ship can answer `HEALTHCHECK CMD ["/app", "health"]`
    if (!last || last.implicit) return [];
    // HEALTHCHECK carries through stages built FROM each other (not from unrelated build stages)
    for (const stage of chain) {
      const hc = stage.instructions.filter((i) => i.keyword === 'HEALTHCHECK').at(-1);
      if (!hc) continue;
      if (hc.args[0]?.value.toUpperCase() === 'NONE')
        return [{ messageId: 'disabled', line: hc.line, column: hc.column }];
      return [];
    }
    return [{ messageId: 'missing', line: last.from.line, column: last.from.column }];
  },
});
