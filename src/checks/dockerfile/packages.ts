import { baseName, type Command } from './shell.js';
import type { Located } from './types.js';

/**
 * Package-manager knowledge shared by the install rules: which words of an install command are
 * package names (flag values skipped) and whether a name pins a version.
 */
export interface ManagerSpec {
  /** message-id friendly name */
  name: 'apt' | 'apk' | 'yum' | 'dnf' | 'zypper' | 'pip' | 'npm' | 'yarn' | 'gem' | 'go';
  programs: readonly string[];
  install: readonly string[];
  /** flags that take the next word as their value */
  valueFlags: readonly string[];
  pinned(word: string, args: Located[]): boolean;
  /**
   * A verdict on words the generic not-a-package test would skip or misjudge (VCS URLs, tarballs,
   * local paths): true pinned, false not pinned, 'skip' not a package; undefined for no opinion.
   */
  judge?(word: string): boolean | 'skip' | undefined;
  /** the install pins everything by other means (a constraints file) */
  pinsAll?(args: Located[]): boolean;
  /** subcommands whose first package word is the only one (`go run pkg args...`) */
  onePackage?: readonly string[];
}

const notPackage = (w: string) =>
  /^[./~$]/.test(w) || w.includes('://') || /\.(deb|rpm|apk|whl|gem|tgz|tar|tar\.gz)$/.test(w);

/** `name@version` (npm, yarn, go); `@latest` and a bare scope (`@scope/pkg`) are not pins. */
const atVersion = (w: string) => {
  const at = w.lastIndexOf('@');
  return at > 0 && !/^(latest|next|\*)$/.test(w.slice(at + 1));
};

/**
 * `name-version[-release]` of rpm: after the first `-`, every part is made of version characters
 * and one starts with a digit (`gcc-c++-1.1.1`, `openssl-1:1.1.1k`); `rpm-sign` is a bare name.
 */
const rpmPinned = (w: string) => {
  const parts = w.split('-').slice(1);
  return (
    parts.length > 0 && parts.every((p) => /^[A-Za-z0-9.~^_:+]+$/.test(p)) && parts.some((p) => /^\d/.test(p))
  );
};

/** pip's VCS requirement schemes (`git+https://...`): pinned by `@<ref>` after the path. */
const PIP_VCS = /^(git|hg|svn|bzr)(\+[a-z-]+)?:/;

export const MANAGERS: readonly ManagerSpec[] = [
  {
    name: 'apt',
    programs: ['apt-get', 'apt'],
    install: ['install'],
    valueFlags: ['-o', '-t', '--target-release', '-c'],
    pinned: (w) => w.includes('=') || w.includes('/'),
  },
  {
    name: 'apk',
    programs: ['apk'],
    install: ['add'],
    valueFlags: ['-t', '--virtual', '-X', '--repository', '--root', '-p', '--arch', '--keys-dir'],
    pinned: (w) => /[=~<>]/.test(w),
  },
  {
    name: 'yum',
    programs: ['yum'],
    install: ['install'],
    valueFlags: ['--enablerepo', '--disablerepo', '--setopt', '--releasever', '--installroot', '-c'],
    pinned: rpmPinned,
  },
  {
    name: 'dnf',
    programs: ['dnf', 'microdnf', 'tdnf'],
    install: ['install'],
    valueFlags: ['--enablerepo', '--disablerepo', '--setopt', '--releasever', '--installroot', '-c'],
    pinned: rpmPinned,
  },
  {
    name: 'zypper',
    programs: ['zypper'],
    install: ['install', 'in'],
    valueFlags: ['-r', '--repo', '--from', '-t', '--type'],
    pinned: (w) => /[=<>]/.test(w),
  },
  {
    name: 'pip',
    programs: ['pip', 'pip3', 'pip2', 'pipx', 'python', 'python3'],
    install: ['install'],
    valueFlags: [
      '-r',
      '--requirement',
      '-c',
      '--constraint',
      '-i',
      '--index-url',
      '--extra-index-url',
      '-t',
      '--target',
      '--prefix',
      '--root',
      '-f',
      '--find-links',
      '--trusted-host',
      '-e',
      '--editable',
      '-b',
      '--build',
      '--src',
      '--abi',
      '--implementation',
      '--platform',
      '--python-version',
      '--python',
      '--no-binary',
      '--only-binary',
      '--progress-bar',
      '--proxy',
      '--root-user-action',
      '--upgrade-strategy',
    ],
    // any version specifier pins (`~=1.2`, `>=0.7`, `!=0.7`)
    pinned: (w) => /[=<>!~@]/.test(w),
    judge: (w) => {
      if (PIP_VCS.test(w)) return /@[^/]+$/.test(w.replace(/#.*$/, ''));
      if (w.includes('/')) return 'skip';
      return undefined;
    },
    // a constraints file decides the versions
    pinsAll: (args) => args.some((a) => a.value === '-c' || a.value.startsWith('--constraint')),
  },
  {
    name: 'npm',
    programs: ['npm'],
    install: ['install', 'i', 'add'],
    valueFlags: ['--prefix', '--registry', '--omit', '--include', '--tag', '--loglevel'],
    pinned: atVersion,
    // a git dependency pins with `#<commit>` or `#semver:<range>`
    judge: (w) => (/^git(\+(ssh|https?))?:\/\//.test(w) ? w.includes('#') : undefined),
  },
  {
    name: 'yarn',
    programs: ['yarn'],
    install: ['add', 'install', 'i'],
    valueFlags: ['--cwd', '--registry', '--filter', '-F'],
    pinned: atVersion,
  },
  {
    name: 'gem',
    programs: ['gem'],
    install: ['install', 'i'],
    valueFlags: ['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '--source', '-s'],
    pinned: (w, args) =>
      w.includes(':') || args.some((a) => a.value === '-v' || a.value.startsWith('--version')),
  },
  {
    name: 'go',
    programs: ['go'],
    install: ['install', 'get', 'run'],
    valueFlags: ['-C', '-p', '-tags', '-ldflags', '-gcflags', '-o'],
    pinned: (w) => atVersion(w) && !w.endsWith('@none'),
    onePackage: ['run'],
  },
];

/** Package-name words of an install command's arguments. */
export function packageWords(spec: ManagerSpec, args: Located[]): Located[] {
  const out: Located[] = [];
  for (let k = 0; k < args.length; k++) {
    const w = args[k]!.value;
    // `gem install x -- --build-flags`: the rest belongs to the gem's build
    if (w === '--') break;
    if (w.startsWith('-')) {
      if (spec.valueFlags.includes(w)) k++;
      // `--some-option true`: an option's boolean value, not a package
      else if (/^--[a-z-]+$/.test(w) && /^(true|false)$/.test(args[k + 1]?.value ?? '')) k++;
      continue;
    }
    if (w === '' || w.includes('$')) continue;
    const verdict = spec.judge?.(w);
    if (verdict === 'skip' || (verdict === undefined && notPackage(w))) continue;
    out.push(args[k]!);
  }
  return out;
}

/** Whether a package word pins its version, with the manager's own verdict first. */
export function isPinned(spec: ManagerSpec, word: string, args: Located[]): boolean {
  const verdict = spec.judge?.(word);
  return typeof verdict === 'boolean' ? verdict : spec.pinned(word, args);
}

/** Install commands of one manager in a RUN: the program word and the arguments after the subcommand. */
export function installCommands(
  commands: Command[],
  spec: ManagerSpec,
): { program: Located; sub: string; args: Located[]; all: Located[]; module: boolean }[] {
  const out: { program: Located; sub: string; args: Located[]; all: Located[]; module: boolean }[] = [];
  for (const cmd of commands) {
    let words = cmd.words;
    const prog = words[0];
    if (!prog || !spec.programs.includes(baseName(prog.value))) continue;
    if (/^python/.test(baseName(prog.value))) {
      if (words[1]?.value !== '-m' || !/^pip\d?$/.test(words[2]?.value ?? '')) continue;
      words = [prog, ...words.slice(3)];
    }
    const nextSub = (from: number) => words.findIndex((w, k) => k > from && !w.value.startsWith('-'));
    let subIdx = nextSub(0);
    // `yarn global add x`
    if (spec.name === 'yarn' && words[subIdx]?.value === 'global') subIdx++;
    // `dnf module install nodejs:20`: a module stream, pinned by `:stream`
    const module = (spec.name === 'yum' || spec.name === 'dnf') && words[subIdx]?.value === 'module';
    if (module) subIdx = nextSub(subIdx);
    if (subIdx < 0 || !spec.install.includes(words[subIdx]!.value)) continue;
    out.push({
      program: prog,
      sub: words[subIdx]!.value,
      args: words.slice(subIdx + 1),
      all: words.slice(1),
      module,
    });
  }
  return out;
}
