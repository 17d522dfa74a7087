import { defineRule } from '../../define-rule.js';
import { historyEntries, type ImageConfigInput } from './support/input.js';

// flags and the source are whitespace-separated words, so this stays linear
const ADD_URL = /(?:^|\s|#\(nop\)\s*)ADD\s+(?:--\S+\s+)*((?:https?|ftp|git):\/\/\S{1,2048})/;

export default defineRule({
  meta: {
    id: 'image-config/add-remote-url',
    aliases: ['CIS-DI-0009', 'CIS-Docker-4.9', 'AVD-DS-0005'],
    title: 'ADD fetched remote content',
    severity: 'MEDIUM',
    category: 'supply-chain',
    references: [
      'https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md',
      'https://docs.docker.com/reference/dockerfile/#add',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Download with `RUN curl` and check a pinned checksum (or use `ADD --checksum=sha256:...`), so a changed remote file fails the build.',
    appliesTo: ['image-config'],
    messages: { remote: 'a layer was added from {{url}} without a visible checksum' },
  },
  check(input: ImageConfigInput) {
    const out = [];
    for (const h of historyEntries(input)) {
      const m = ADD_URL.exec(h.createdBy);
      if (!m || /--checksum=/.test(h.createdBy)) continue;
      // a URL with credentials is secrets-in-history's finding; do not print it here
      const url = m[1]!.replace(/\/\/[^/@\s]*@/, '//');
      out.push({
        messageId: 'remote' as const,
        data: { url },
        line: 0,
        column: 0,
        field: `history[${h.index}].created_by`,
        ...(h.layer ? { layer: h.layer } : {}),
      });
    }
    return out;
  },
});
