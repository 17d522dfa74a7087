import { defineRule } from '../../define-rule.js';
import { isExternalImage, parseImageRef } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/trusted-registry',
    aliases: ['DL3026', 'CIS-Docker-4.2'],
    title: 'Base image from a registry that is not trusted',
    severity: 'MEDIUM',
    category: 'supply-chain',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3026',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Pull base images only from the registries listed in the `trustedRegistries` setting (mirror others there).',
    appliesTo: ['dockerfile'],
    messages: { untrusted: 'base image {{image}} comes from {{registry}}, which is not a trusted registry' },
  },
  check(df: Dockerfile, ctx) {
    // Only configured users opt in: without a list every registry is acceptable.
    const trusted = ctx.settings.trustedRegistries;
    if (!Array.isArray(trusted) || trusted.length === 0) return [];
    const out = [];
    for (const s of df.stages) {
      if (!isExternalImage(s)) continue;
      const registry = parseImageRef(s.image).registry ?? 'docker.io';
      if (trusted.includes(registry)) continue;
      const w = s.from.args[0]!;
      out.push({
        messageId: 'untrusted' as const,
        data: { image: s.image, registry },
        line: w.line,
        column: w.column,
      });
    }
    return out;
  },
});
