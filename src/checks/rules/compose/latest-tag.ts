import { defineRule } from '../../define-rule.js';
import type { ComposeFile } from '../../compose/parse.js';
import { parseImageRef } from '../../dockerfile/helpers.js';

export default defineRule({
  meta: {
    id: 'compose/latest-tag',
    aliases: ['AVD-KSV-0013'],
    title: 'Image uses latest or no tag',
    severity: 'MEDIUM',
    category: 'supply-chain',
    references: [
      'https://docs.docker.com/reference/compose-file/services/',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation: 'Pin the image to a version tag and digest (`image: nginx:1.27.3@sha256:...`).',
    appliesTo: ['compose'],
    messages: {
      latest: 'service {{service}} uses image {{image}} with the mutable latest tag',
      untagged: 'service {{service}} uses image {{image}} without a tag (latest)',
    },
  },
  check(cf: ComposeFile) {
    const out = [];
    for (const s of cf.services) {
      const get = (k: string) => s.node.map?.get(k);
      const img = get('image');
      if (!img || typeof img.value !== 'string' || img.value.includes('$')) continue;
      const ref = parseImageRef(img.value);
      if (ref.digest) continue;
      if (ref.tag === 'latest')
        out.push({
          messageId: 'latest' as const,
          data: { service: s.name, image: img.value },
          line: img.line,
          column: img.column,
        });
      else if (!ref.tag)
        out.push({
          messageId: 'untagged' as const,
          data: { service: s.name, image: img.value },
          line: img.line,
          column: img.column,
        });
    }
    return out;
  },
});
