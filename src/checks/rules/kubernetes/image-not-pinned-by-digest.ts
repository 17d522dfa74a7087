import { defineRule } from '../../define-rule.js';
import { containersOf, located } from '../../kubernetes/rule-helpers.js';
import { parseImageRef } from '../../kubernetes/image-ref.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: {
    id: 'kubernetes/image-not-pinned-by-digest',
    aliases: [],
    title: 'Image not pinned by digest',
    severity: 'LOW',
    category: 'supply-chain',
    references: ['https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy'],
    remediation:
      'Pin images by digest (`registry/name:tag@sha256:...`) so every node runs exactly the image that was reviewed and scanned.',
    appliesTo: ['kubernetes'],
    messages: {
      noDigest: 'container {{container}} of {{object}} uses image {{image}} without a digest',
    },
  },
  check(obj: K8sObject) {
    const out = [];
    for (const c of containersOf(obj)) {
      if (typeof c.c.image !== 'string' || parseImageRef(c.c.image).digest) continue;
      out.push({
        ...located(obj, [...c.path, 'image']),
        messageId: 'noDigest' as const,
        data: { container: c.name, object: obj.label, image: c.c.image },
      });
    }
    return out;
  },
});
