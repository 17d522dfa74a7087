import { defineRule } from '../../define-rule.js';
import type { Dockerfile } from '../../dockerfile/types.js';

export default defineRule({
  meta: {
    id: 'dockerfile/from-platform',
    aliases: ['DL3029', 'DL3065'],
    title: 'FROM --platform fixes or restates the platform',
    severity: 'LOW',
    category: 'reproducibility',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3029',
      'https://github.com/hadolint/hadolint/wiki/DL3065',
      'https://docs.docker.com/build/building/multi-platform/',
    ],
    remediation:
      'Leave the platform to the build (`docker build --platform ...`); in FROM use only `--platform=$BUILDPLATFORM` for cross-compiling build stages.',
    appliesTo: ['dockerfile'],
    messages: {
      fixed: 'FROM --platform={{platform}} builds this stage for one platform whatever the build asks for',
      redundant:
        'FROM --platform={{platform}} restates the default: every stage is built for the target platform',
    },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const s of df.stages) {
      const f = s.from.keyword === 'FROM' ? s.from.flags.find((x) => x.name === 'platform') : undefined;
      if (!f) continue;
      const p = f.flagValue;
      const data = { platform: p };
      if (p === '$TARGETPLATFORM' || p === '${TARGETPLATFORM}')
        out.push({ messageId: 'redundant' as const, data, line: f.line, column: f.column });
      else if (!/BUILDPLATFORM|TARGETPLATFORM/.test(p))
        out.push({ messageId: 'fixed' as const, data, line: f.line, column: f.column });
    }
    return out;
  },
});
