import { defineRule } from '../../define-rule.js';
import { containersOf, located } from '../../kubernetes/rule-helpers.js';
import { parseImageRef } from '../../kubernetes/image-ref.js';
import type { K8sObject } from '../../kubernetes/types.js';

export default defineRule({
  meta: {
    id: 'kubernetes/image-latest-tag',
    aliases: ['AVD-KSV-0013', 'KSV013'],
    title: 'Image uses the latest tag or no tag',
    severity: 'MEDIUM',
    category: 'supply-chain',
    references: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
    remediation: 'Reference a specific version tag, better still a digest (`image@sha256:...`).',
    appliesTo: ['kubernetes'],
    messages: {
      latest: 'container {{container}} of {{object}} uses image {{image}} with the mutable tag latest',
      untagged: 'container {{container}} of {{object}} uses image {{image}} without a tag (means latest)',
    },
  },
  check(obj: K8sObject) {
    const out = [];
    for (const c of containersOf(obj)) {
      if (typeof c.c.image !== 'string') continue;
      const ref = parseImageRef(c.c.image);
      if (ref.digest) continue;
      const data = { container: c.name, object: obj.label, image: c.c.image };
      const where = located(obj, [...c.path, 'image']);
      if (ref.tag === 'latest') out.push({ ...where, data, messageId: 'latest' as const });
      else if (!ref.tag) out.push({ ...where, data, messageId: 'untagged' as const });
    }
    return out;
  },
});
