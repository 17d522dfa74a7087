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
}

const notPackage = (w: string) =>
  /^[./~$]/.test(w) || w.includes('://') || /\.(deb|rpm|apk|whl|gem|tgz|tar\.gz)$/.test(w);

/** `name@version` (npm, yarn, go); `@latest` and a bare scope (`@scope/pkg`) are not pins. */
const atVersion = (w: string) => {
  const at = w.lastIndexOf('@');
  return at > 0 && !/^(latest|next|\*)$/.test(w.slice(at + 1));
};

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
    pinned: (w) => /-\d/.test(w),
  },
  {
    name: 'dnf',
    programs: ['dnf', 'microdnf', 'tdnf'],
    install: ['install'],
    valueFlags: ['--enablerepo', '--disablerepo', '--setopt', '--releasever', '--installroot', '-c'],
    pinned: (w) => /-\d/.test(w),
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
    programs: ['pip', 'pip3', 'pip2', 'python', 'python3'],
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
    ],
    pinned: (w) => /(===?|@)/.test(w),
  },
  {
    name: 'npm',
    programs: ['npm'],
    install: ['install', 'i', 'add'],
    valueFlags: ['--prefix', '--registry', '--omit', '--include', '--tag'],
    pinned: atVersion,
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
    install: ['install'],
    valueFlags: ['-C', '-p', '-tags', '-ldflags', '-gcflags', '-o'],
    pinned: atVersion,
  },
];

/** Package-name words of an install command's arguments. */
export function packageWords(spec: ManagerSpec, args: Located[]): Located[] {
  const out: Located[] = [];
  for (let k = 0; k < args.length; k++) {
    const w = args[k]!.value;
    if (w.startsWith('-')) {
      if (spec.valueFlags.includes(w)) k++;
      continue;
    }
    if (notPackage(w) || w === '' || w.includes('$')) continue;
    out.push(args[k]!);
  }
  return out;
}

/** Install commands of one manager in a RUN: the program word and the arguments after the subcommand. */
export function installCommands(
  commands: Command[],
  spec: ManagerSpec,
): { program: Located; args: Located[]; all: Located[] }[] {
  const out: { program: Located; args: Located[]; all: Located[] }[] = [];
  for (const cmd of commands) {
    let words = cmd.words;
    const prog = words[0];
    if (!prog || !spec.programs.includes(baseName(prog.value))) continue;
    if (/^python/.test(baseName(prog.value))) {
      if (words[1]?.value !== '-m' || !/^pip\d?$/.test(words[2]?.value ?? '')) continue;
      words = [prog, ...words.slice(3)];
    }
    let subIdx = words.findIndex((w, k) => k > 0 && !w.value.startsWith('-'));
    // `yarn global add x`
    if (spec.name === 'yarn' && words[subIdx]?.value === 'global') subIdx++;
    if (subIdx < 0 || !spec.install.includes(words[subIdx]!.value)) continue;
    out.push({ program: prog, args: words.slice(subIdx + 1), all: words.slice(1) });
  }
  return out;
}
