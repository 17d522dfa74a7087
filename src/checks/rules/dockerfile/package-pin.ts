import { defineRule } from '../../define-rule.js';
import { expandVars, type VarLookup } from '../../dockerfile/expand.js';
import { withVars } from '../../dockerfile/helpers.js';
import { MANAGERS, installCommands, isPinned, packageWords } from '../../dockerfile/packages.js';
import { runCommands } from '../../dockerfile/shell.js';
import type { Dockerfile, Located } from '../../dockerfile/types.js';

/**
 * A package word with the ARG and ENV values in scope substituted (`git-core-${version}`); the
 * word as written when it uses a variable the build decides (an ARG without default, or one not
 * declared in this stage, which the base image may set).
 */
function expanded(w: Located, vars: VarLookup, escape: string): Located {
  if (!w.value.includes('$')) return w;
  const e = expandVars(w.value, vars, escape);
  return e.unresolved ? w : { ...w, value: e.value };
}

export default defineRule({
  meta: {
    id: 'dockerfile/package-pin',
    aliases: ['DL3008', 'DL3013', 'DL3016', 'DL3018', 'DL3028', 'DL3033', 'DL3037', 'DL3041', 'DL3062'],
    title: 'Package installed without a pinned version',
    severity: 'MEDIUM',
    category: 'reproducibility',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3008',
      'https://github.com/hadolint/hadolint/wiki/DL3018',
      'https://github.com/hadolint/hadolint/wiki/DL3013',
      'https://github.com/hadolint/hadolint/wiki/DL3016',
    ],
    remediation:
      'Pin each package (`apt-get install curl=7.88.1-10+deb12u8`, `apk add curl=8.5.0-r0`, `pip install flask==3.0.3`, `npm install -g pnpm@9.1.0`, `go install golang.org/x/tools/cmd/goimports@v0.24.0`) or install from a lock file.',
    appliesTo: ['dockerfile'],
    messages: { unpinned: '{{manager}} installs {{package}} without a pinned version' },
  },
  check(df: Dockerfile) {
    const out = [];
    for (const stage of df.stages)
      for (const { ins, vars } of withVars(df, stage)) {
        const run = ins.keyword === 'ONBUILD' ? ins.inner : ins;
        if (run?.keyword !== 'RUN') continue;
        const commands = runCommands(run, df.escape);
        for (const spec of MANAGERS)
          for (const c of installCommands(commands, spec)) {
            if (spec.pinsAll?.(c.args)) continue;
            const args = c.args.map((w) => expanded(w, vars, df.escape));
            let words = packageWords(spec, args);
            if (spec.onePackage?.includes(c.sub)) words = words.slice(0, 1);
            for (const w of words) {
              const pinned = c.module ? w.value.includes(':') : isPinned(spec, w.value, args);
              if (!pinned)
                out.push({
                  messageId: 'unpinned' as const,
                  data: { manager: spec.name, package: w.value },
                  line: w.line,
                  column: w.column,
                });
            }
          }
      }
    return out;
  },
});
