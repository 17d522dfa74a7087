import { defineRule } from '../../define-rule.js';
import { isExternalImage, parseImageRef } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/latest-tag',
    aliases: ['DL3006', 'DL3007', 'AVD-DS-0001', 'CKV_DOCKER_7'],
    title: 'Base image uses `latest` or no tag',
    severity: 'MEDIUM',
    category: 'supply-chain',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3006',
      'https://github.com/hadolint/hadolint/wiki/DL3007',
      'https://avd.aquasec.com/misconfig/ds001',
    ],
    remediation: 'Name an explicit version tag (`FROM debian:12.8-slim`), ideally with its digest.',
    appliesTo: ['dockerfile'],
    messages: {
      latest: 'base image {{image}} uses the mutable `latest` tag',
      untagged: 'base image {{image}} has no tag, so it resolves to `latest`',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const s of df.stages) {
      if (!isExternalImage(s)) continue;
      const ref = parseImageRef(s.image);
      if (ref.digest) continue;
      const word = s.from.args[0]!;
      if (ref.tag === 'latest')
        out.push({
          messageId: 'latest' as const,
          data: { image: s.image },
          line: word.line,
          column: word.column,
        });
      else if (!ref.tag)
        out.push({
          messageId: 'untagged' as const,
          data: { image: s.image },
          line: word.line,
          column: word.column,
        });
    }
    return out;
  },
});
