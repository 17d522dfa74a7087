import { defineRule } from '../../define-rule.js';
import { isExternalImage, parseImageRef } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/base-image-digest',
    aliases: [],
    title: 'Base image not pinned by digest',
    severity: 'LOW',
    category: 'supply-chain',
    references: ['https://docs.docker.com/reference/dockerfile/#from'],
    remediation:
      'Pin the base image by digest (`FROM debian:12.8-slim@sha256:...`) and let a bot (Renovate, Dependabot) update it.',
    appliesTo: ['dockerfile'],
    messages: {
      noDigest: 'base image {{image}} is not pinned by digest: a tag can be moved to other content',
    },
  },
  check(df: Dockerfile) {
    return df.stages
      .filter((s) => isExternalImage(s) && !parseImageRef(s.image).digest)
      .map((s) => ({
        messageId: 'noDigest' as const,
        data: { image: s.image },
        line: s.from.args[0]!.line,
        column: s.from.args[0]!.column,
      }));
  },
});
