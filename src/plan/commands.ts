/**
 * The exact upgrade command per ecosystem, as its own tool spells a pinned version. Names and
 * versions are shell-quoted when they hold anything but the characters package names and
 * versions normally use, so a hostile report cannot make a pasted command do more.
 */
import { ecosystemBase, purlType } from '../ecosystems/index.js';

export interface UpgradeTarget {
  name: string;
  version: string;
}

const SAFE = /^[A-Za-z0-9@%+=:,./~_^-]+$/;

/** POSIX shell quoting: as is when safe, else single-quoted. */
export function shellQuote(s: string): string {
  return SAFE.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Go versions are `v`-prefixed for `go get`; OSV writes them without. */
function goVersion(v: string): string {
  return /^v/.test(v) ? v : `v${v}`;
}

/**
 * The command that installs these packages at these versions, or null for an ecosystem without
 * one (the plan then names the package and version only). Maven has no install command: its
 * coordinates (`group:artifact:version`) go into the build file.
 */
export function upgradeCommand(ecosystem: string, targets: readonly UpgradeTarget[]): string | null {
  if (!targets.length) return null;
  const q = shellQuote;
  const base = ecosystemBase(ecosystem);
  const each = (f: (t: UpgradeTarget) => string) => targets.map(f).join(' ');
  switch (purlType(base)) {
    case 'deb':
      return `apt-get install ${each((t) => q(`${t.name}=${t.version}`))}`;
    case 'apk':
      return `apk add ${each((t) => q(`${t.name}=${t.version}`))}`;
    case 'rpm':
      return `dnf install ${each((t) => q(`${t.name}-${t.version}`))}`;
    case 'npm':
      return `npm install ${each((t) => q(`${t.name}@${t.version}`))}`;
    case 'pypi':
      return `pip install ${each((t) => q(`${t.name}==${t.version}`))}`;
    case 'gem':
      // gem install takes one -v for all the gems named: one command per gem
      return targets.map((t) => `gem install ${q(t.name)} -v ${q(t.version)}`).join(' && ');
    case 'golang':
      return `go get ${each((t) => q(`${t.name}@${goVersion(t.version)}`))}`;
    case 'cargo':
      return targets.map((t) => `cargo update -p ${q(t.name)} --precise ${q(t.version)}`).join(' && ');
    case 'composer':
      return `composer require ${each((t) => q(`${t.name}:${t.version}`))}`;
    case 'nuget':
      return targets.map((t) => `dotnet add package ${q(t.name)} --version ${q(t.version)}`).join(' && ');
    case 'maven':
      return each((t) => `${t.name}:${t.version}`);
    default:
      return null;
  }
}

/** What kind of instruction `upgradeCommand` gives: a shell command, or Maven coordinates. */
export function commandKind(ecosystem: string): 'shell' | 'coordinates' | 'none' {
  const t = purlType(ecosystemBase(ecosystem));
  return t === 'maven' ? 'coordinates' : t ? 'shell' : 'none';
}
