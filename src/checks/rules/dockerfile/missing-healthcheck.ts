import { defineRule } from '../../define-rule.js';
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
    messages: { missing: 'the final stage has no HEALTHCHECK, so a hung container looks healthy' },
  },
  check(df: Dockerfile) {
    const last = df.stages.at(-1);
    if (!last || last.image.toLowerCase() === 'scratch') return [];
    // HEALTHCHECK is inherited through stages built FROM each other, and from the base image
    if (last.fromStage || df.stages.some((s) => s.instructions.some((i) => i.keyword === 'HEALTHCHECK')))
      return [];
    return [{ messageId: 'missing', line: last.from.line, column: last.from.column }];
  },
});
