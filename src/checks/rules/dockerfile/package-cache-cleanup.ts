import { defineRule } from '../../define-rule.js';
import { expandVars } from '../../dockerfile/expand.js';
import { shippedStages, withVars } from '../../dockerfile/helpers.js';
import { baseName, runCommands, type Command } from '../../dockerfile/shell.js';
import type { Dockerfile, Instruction } from '../../dockerfile/types.js';
import type { Located } from '../../dockerfile/types.js';

/**
 * How each package manager fills a cache inside the layer and what keeps it out: a flag on the
 * command itself, a cache or tmpfs mount over the cache folder, or the manager's clean command
 * (or an `rm` of the folder) later in the same RUN. A clean before the install cleans nothing.
 */
interface Cleanup {
  manager: 'apt' | 'apk' | 'yum' | 'dnf' | 'zypper' | 'yarn' | 'pip';
  fix: string;
  /** commands that fill the cache: program names and the subcommand that does it */
  fills: { programs: string[]; subs: string[] };
  /** a flag on the filling command that keeps the cache out */
  flag?: string;
  /** mounts keep the cache out when every fragment of one set is inside some mount target */
  mounts: string[][];
  /** `<program> <sub...>` of the filling program that cleans (`clean all`); any one of them */
  clean?: string[][];
  /** `rm` of a path starting with one of these cleans */
  rm: string[];
}

const CLEANUPS: readonly Cleanup[] = [
  {
    manager: 'apt',
    fix: 'rm -rf /var/lib/apt/lists/*',
    // the lists come from `update`; an install alone reuses lists an earlier layer fetched
    fills: { programs: ['apt-get', 'apt', 'aptitude'], subs: ['update'] },
    mounts: [['/var/lib/apt/lists'], ['/var/lib/apt', '/var/cache/apt']],
    rm: ['/var/lib/apt/lists'],
  },
  {
    manager: 'apk',
    fix: 'apk add --no-cache',
    fills: { programs: ['apk'], subs: ['add'] },
    flag: '--no-cache',
    mounts: [['/var/cache/apk']],
    rm: ['/var/cache/apk'],
  },
  {
    manager: 'yum',
    fix: 'yum clean all',
    fills: { programs: ['yum'], subs: ['install'] },
    mounts: [['/var/cache/yum']],
    clean: [['clean', 'all']],
    rm: ['/var/cache/yum'],
  },
  {
    manager: 'dnf',
    fix: 'dnf clean all',
    fills: {
      programs: ['dnf', 'microdnf', 'tdnf'],
      subs: ['install', 'in', 'upgrade', 'up', 'upgrade-minimal', 'up-min', 'reinstall', 'rei'],
    },
    mounts: [['/var/cache/libdnf5'], ['.cache/libdnf5'], ['/var/cache/dnf']],
    clean: [['clean', 'all']],
    rm: ['/var/cache/libdnf5', '/var/cache/dnf', '/var/cache/yum'],
  },
  {
    manager: 'zypper',
    fix: 'zypper clean --all',
    fills: { programs: ['zypper'], subs: ['install', 'in'] },
    mounts: [['/var/cache/zypp']],
    clean: [['clean'], ['cc']],
    rm: ['/var/cache/zypp'],
  },
  {
    manager: 'yarn',
    fix: 'yarn cache clean',
    fills: { programs: ['yarn'], subs: ['install', 'add'] },
    mounts: [['.cache/yarn'], ['/root/.yarn']],
    clean: [['cache', 'clean']],
    rm: ['/usr/local/share/.cache/yarn', '/root/.cache/yarn', '/root/.yarn'],
  },
  {
    manager: 'pip',
    fix: 'pip install --no-cache-dir',
    fills: { programs: ['pip', 'pip2', 'pip3', 'python', 'python2', 'python3'], subs: ['install'] },
    flag: '--no-cache-dir',
    mounts: [['.cache/pip']],
    rm: ['/root/.cache/pip', '/root/.cache'],
  },
];

const TRUTHY = /^(1|true|on|yes)$/i;

/** The subcommand word: the first word after the program that is not a flag (`dnf -y install`). */
function subcommand(cmd: Command): Located | undefined {
  const w = cmd.words;
  // `python -m pip install`
  if (/^python\d?(\.\d+)?$/.test(baseName(w[0]!.value)))
    return w[1]?.value === '-m' && /^pip\d?$/.test(w[2]?.value ?? '')
      ? w.slice(3).find((x) => !x.value.startsWith('-'))
      : undefined;
  return w.slice(1).find((x) => !x.value.startsWith('-'));
}

function fills(c: Cleanup, cmd: Command): boolean {
  const prog = cmd.words[0];
  if (!prog || !c.fills.programs.includes(baseName(prog.value))) return false;
  const sub = subcommand(cmd);
  if (!sub || !c.fills.subs.includes(sub.value)) return false;
  return !(c.flag && cmd.words.some((w) => w.value === c.flag));
}

function cleans(c: Cleanup, cmd: Command, program: string): boolean {
  const w = cmd.words;
  const prog = w[0] ? baseName(w[0].value) : '';
  if (prog === 'rm') return w.slice(1).some((a) => c.rm.some((d) => a.value.startsWith(d)));
  if (!c.clean || prog !== program) return false;
  const rest = w
    .slice(1)
    .filter((a) => !a.value.startsWith('-'))
    .map((a) => a.value);
  return c.clean.some((parts) => parts.every((part, k) => rest[k] === part));
}

/** Targets of `--mount=type=cache|tmpfs,target=...` flags. */
function mountTargets(ins: Instruction): string[] {
  const out: string[] = [];
  for (const f of ins.flags) {
    if (f.name !== 'mount') continue;
    const kv = new Map(
      f.flagValue.split(',').map((p) => {
        const eq = p.indexOf('=');
        return eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
      }),
    );
    const type = kv.get('type');
    const target = kv.get('target') ?? kv.get('dst') ?? kv.get('destination');
    if ((type === 'cache' || type === 'tmpfs') && target) out.push(target);
  }
  return out;
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
      'Clean the cache in the same RUN that fills it, after filling it (`&& rm -rf /var/lib/apt/lists/*`, `apk add --no-cache`, `yum clean all`, `dnf clean all`, `pip install --no-cache-dir`, `yarn cache clean`) or use a BuildKit cache mount.',
    appliesTo: ['dockerfile'],
    messages: { noCleanup: '{{manager}} leaves its cache in this layer; add `{{fix}}` to the same RUN' },
  },
  check(df: Dockerfile) {
    const out = [];
    const shipped = new Set(shippedStages(df));
    for (const stage of df.stages)
      for (const { ins, vars } of withVars(df, stage)) {
        const run = ins.keyword === 'ONBUILD' ? ins.inner : ins;
        if (run?.keyword !== 'RUN') continue;
        // caches of stages that are not shipped do not reach the image; ONBUILD triggers run in
        // the images built from this one, whatever the stage
        if (!shipped.has(stage) && ins.keyword !== 'ONBUILD') continue;
        const commands = runCommands(run, df.escape);
        const targets = mountTargets(run);
        for (const c of CLEANUPS) {
          if (c.mounts.some((set) => set.every((frag) => targets.some((t) => t.includes(frag))))) continue;
          if (c.manager === 'pip') {
            const env = vars.get('PIP_NO_CACHE_DIR');
            if (env !== undefined && TRUTHY.test(expandVars(env, vars, df.escape).value)) continue;
            if (/PIP_NO_CACHE_DIR=["']?(1|true|on|yes)\b/i.test(run.text)) continue;
          }
          // one finding per RUN and manager, at the first filling command nothing cleans after
          const k = commands.findIndex((cmd) => fills(c, cmd));
          if (k < 0) continue;
          const program = baseName(commands[k]!.words[0]!.value);
          if (commands.slice(k + 1).some((cmd) => cleans(c, cmd, program))) continue;
          const first = commands[k]!.words[0]!;
          out.push({
            messageId: 'noCleanup' as const,
            data: { manager: c.manager, fix: c.fix },
            line: first.line,
            column: first.column,
          });
        }
      }
    return out;
  },
});
