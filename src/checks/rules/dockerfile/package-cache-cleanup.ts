import { defineRule } from '../../define-rule.js';
import { shippedStages } from '../../dockerfile/helpers.js';
import { MANAGERS, installCommands, type ManagerSpec } from '../../dockerfile/packages.js';
import { findCommands, runs, type Command } from '../../dockerfile/shell.js';
import type { Dockerfile, Instruction } from '../../dockerfile/types.js';

interface Cleanup {
  fix: string;
  /** cache folders whose removal or cache mount counts as cleanup */
  dirs: string[];
  flags?: string[];
  clean?: { programs: string[]; subs: string[] };
}

const CLEANUPS: Partial<Record<ManagerSpec['name'], Cleanup>> = {
  apt: { fix: 'rm -rf /var/lib/apt/lists/*', dirs: ['/var/lib/apt/lists'] },
  apk: { fix: 'apk add --no-cache', dirs: ['/var/cache/apk'], flags: ['--no-cache'] },
  yum: { fix: 'yum clean all', dirs: ['/var/cache/yum'], clean: { programs: ['yum'], subs: ['clean'] } },
  dnf: {
    fix: 'dnf clean all',
    dirs: ['/var/cache/dnf', '/var/cache/yum'],
    clean: { programs: ['dnf', 'microdnf', 'tdnf'], subs: ['clean'] },
  },
  zypper: {
    fix: 'zypper clean --all',
    dirs: ['/var/cache/zypp'],
    clean: { programs: ['zypper'], subs: ['clean', 'cc'] },
  },
  yarn: {
    fix: 'yarn cache clean',
    dirs: ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '/root/.yarn'],
    clean: { programs: ['yarn'], subs: ['cache'] },
  },
  pip: {
    fix: 'pip install --no-cache-dir',
    dirs: ['/root/.cache/pip', '/root/.cache'],
    flags: ['--no-cache-dir'],
  },
};

/** Cleanup somewhere in the RUN: a cache mount, the manager's clean command, or rm of the cache. */
function runCleans(c: Cleanup, ins: Instruction, commands: Command[], env: Set<string>): boolean {
  if (c === CLEANUPS.pip && env.has('PIP_NO_CACHE_DIR')) return true;
  // a BuildKit cache mount keeps the cache out of the layer
  if (
    ins.flags.some(
      (f) =>
        f.name === 'mount' && /type=cache/.test(f.flagValue) && c.dirs.some((d) => f.flagValue.includes(d)),
    )
  )
    return true;
  if (c.clean && findCommands(commands, c.clean.programs, c.clean.subs).length) return true;
  return findCommands(commands, ['rm']).some(({ args: a }) =>
    a.some((w) => c.dirs.some((d) => w.value.startsWith(d))),
  );
}

export default defineRule({
  meta: {
    id: 'dockerfile/package-cache-cleanup',
    aliases: [
      'DL3009',
      'DL3019',
      'DL3032',
      'DL3036',
      'DL3040',
      'DL3042',
      'DL3060',
      'AVD-DS-0015',
      'AVD-DS-0019',
      'AVD-DS-0020',
      'AVD-DS-0025',
    ],
    title: 'Package manager cache left in the image',
    severity: 'LOW',
    category: 'image-hygiene',
    references: [
      'https://github.com/hadolint/hadolint/wiki/DL3009',
      'https://github.com/hadolint/hadolint/wiki/DL3019',
      'https://github.com/hadolint/hadolint/wiki/DL3042',
      'https://docs.docker.com/build/building/best-practices/#apt-get',
    ],
    remediation:
      'Clean the cache in the same RUN that fills it (`&& rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `yum clean all`, `pip install --no-cache-dir`) or use a BuildKit cache mount.',
    appliesTo: ['dockerfile'],
    messages: { noCleanup: '{{manager}} leaves its cache in this layer; add `{{fix}}` to the same RUN' },
  },
  check(df: Dockerfile) {
    const out = [];
    // caches in stages that are not shipped do not reach the final image
    for (const stage of shippedStages(df)) {
      const env = new Set<string>();
      for (const ins of stage.instructions) {
        if (ins.keyword === 'ENV') for (const w of ins.args) env.add(w.value.split('=')[0]!);
      }
      for (const { ins, commands } of runs(stage.instructions, df.escape))
        for (const spec of MANAGERS) {
          const c = CLEANUPS[spec.name];
          if (!c) continue;
          // one finding per RUN and manager, at the first install that leaves a cache
          const first = installCommands(commands, spec).find(
            (inst) => !c.flags?.some((f) => inst.all.some((w) => w.value === f)),
          );
          if (!first || runCleans(c, ins, commands, env)) continue;
          out.push({
            messageId: 'noCleanup' as const,
            data: { manager: spec.name, fix: c.fix },
            line: first.program.line,
            column: first.program.column,
          });
        }
    }
    return out;
  },
});
