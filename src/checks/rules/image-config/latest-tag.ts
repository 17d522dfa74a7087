import { defineRule } from '../../define-rule.js';
import type { ImageConfigInput } from './support/input.js';

/** The tag of a reference (`host:5000/a/b:tag@sha256:...`), '' for none; undefined when digest-pinned. */
export function referenceTag(ref: string): string | undefined {
  if (ref.includes('@')) return undefined;
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  return colon === -1 ? '' : ref.slice(colon + 1);
}

export default defineRule({
  meta: {
    id: 'image-config/latest-tag',
    aliases: ['DKL-DI-0006', 'AVD-DS-0001'],
    title: 'Image named by `latest` or no tag',
    severity: 'MEDIUM',
    category: 'supply-chain',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://docs.docker.com/reference/cli/docker/image/tag/',
    ],
    remediation:
      'Deploy and scan a versioned tag, or better the digest (`name@sha256:...`), so what runs is what was scanned.',
    appliesTo: ['image-config'],
    messages: {
      latest: '{{reference}} uses the `latest` tag, which moves',
      untagged: '{{reference}} has no tag, so it means `latest`, which moves',
    },
  },
  check(input: ImageConfigInput) {
    const ref = input.reference;
    if (!ref) return [];
    const tag = referenceTag(ref);
    const at = { line: 0, column: 0, field: 'reference', data: { reference: ref } };
    if (tag === '') return [{ messageId: 'untagged' as const, ...at }];
    if (tag === 'latest') return [{ messageId: 'latest' as const, ...at }];
    return [];
  },
});
