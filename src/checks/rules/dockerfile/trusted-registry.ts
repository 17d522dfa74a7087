import { defineRule } from '../../define-rule.js';
import { isExternalImage, parseImageRef } from '../../dockerfile/helpers.js';
import type { Dockerfile, Located } from '../../dockerfile/types.js';

/** `ghcr.io`, `*.corp.example` (any subdomain) or `*` (any registry); docker.io also as index.docker.io. */
function trustedBy(patterns: readonly unknown[], registry: string): boolean {
  return patterns.some((p) => {
    if (typeof p !== 'string') return false;
    if (p === '*' || p === registry) return true;
    if (p.startsWith('*.')) return registry.endsWith(p.slice(1));
    return p === 'docker.io' && registry === 'index.docker.io';
  });
}

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
    messages: {
      untrusted: 'base image {{image}} comes from {{registry}}, which is not a trusted registry',
      untrustedCopy:
        '{{image}} (an image used by --from) comes from {{registry}}, which is not a trusted registry',
    },
  },
  check(df: Dockerfile, ctx) {
    // Only configured users opt in: without a list every registry is acceptable.
    const trusted = ctx.settings.trustedRegistries;
    if (!Array.isArray(trusted) || trusted.length === 0) return [];
    const out = [];
    for (const s of df.stages) {
      if (!isExternalImage(s)) continue;
      const registry = parseImageRef(s.image).registry ?? 'docker.io';
      if (trustedBy(trusted, registry)) continue;
      const w = s.from.args[0]!;
      out.push({
        messageId: 'untrusted' as const,
        data: { image: s.image, registry },
        line: w.line,
        column: w.column,
      });
    }
    // `COPY --from=<image>` and `RUN --mount=...,from=<image>` pull images too
    const stageNames = new Set(df.stages.flatMap((s) => (s.name ? [s.name] : [])));
    for (const raw of df.instructions) {
      const ins = raw.keyword === 'ONBUILD' ? raw.inner : raw;
      if (!ins) continue;
      const refs: { image: string; at: Located }[] = [];
      for (const f of ins.flags) {
        if (f.name === 'from' && (ins.keyword === 'COPY' || ins.keyword === 'ADD'))
          refs.push({ image: f.flagValue, at: f });
        if (f.name === 'mount' && ins.keyword === 'RUN') {
          const m = /(?:^|,)from=([^,]+)/.exec(f.flagValue);
          if (m) refs.push({ image: m[1]!, at: f });
        }
      }
      for (const { image, at } of refs) {
        // stage names and indexes, and references the build decides, are no pull
        if (stageNames.has(image.toLowerCase()) || /^\d+$/.test(image) || image.includes('$')) continue;
        const registry = parseImageRef(image).registry ?? 'docker.io';
        if (trustedBy(trusted, registry)) continue;
        out.push({
          messageId: 'untrustedCopy' as const,
          data: { image, registry },
          line: at.line,
          column: at.column,
        });
      }
    }
    return out;
  },
});
