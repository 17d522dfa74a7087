import { defineRule } from '../../define-rule.js';
import { effective } from '../../dockerfile/helpers.js';
import type { Dockerfile } from '../../dockerfile/types.js';

// ADD unpacks by content, not name: a `.gz` or `.xz` may be a compressed tarball
const ARCHIVE = /\.(tar|gz|bz2|xz|zst|tgz|tbz2?|txz)$/i;

export default defineRule({
  meta: {
    id: 'dockerfile/add-instead-of-copy',
    aliases: ['DL3020', 'AVD-DS-0005', 'CIS-Docker-4.9', 'CKV_DOCKER_4'],
    title: 'ADD used for local files',
    severity: 'LOW',
    category: 'least-surprise',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3020',
      'https://avd.aquasec.com/misconfig/ds005',
      'https://www.cisecurity.org/benchmark/docker',
    ],
    remediation:
      'Use COPY for local files; to unpack an archive, COPY it and extract it explicitly in a RUN so its content is visible and checked.',
    appliesTo: ['dockerfile'],
    messages: {
      file: 'ADD of {{source}}: use COPY, ADD has implicit download and extraction behaviour',
      archive:
        'ADD of archive {{source}} unpacks it implicitly (absolute paths, setuid files and links included)',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const raw of df.instructions) {
      const ins = effective(raw);
      if (ins?.keyword !== 'ADD' || ins.heredocs.length) continue;
      for (const w of ins.args.slice(0, -1)) {
        if (/^[a-z]+:\/\/|^git@/.test(w.value)) continue;
        if (ARCHIVE.test(w.value))
          out.push({
            messageId: 'archive' as const,
            data: { source: w.value },
            line: w.line,
            column: w.column,
          });
        else
          out.push({ messageId: 'file' as const, data: { source: w.value }, line: w.line, column: w.column });
      }
    }
    return out;
  },
});
