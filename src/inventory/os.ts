/**
 * OS facts -> OSV ecosystem. OSV names checked against the OSV schema's ecosystem list
 * (osv-schema `osvconstants`): `Debian`, `Ubuntu`, `Alpine`, `Red Hat`, `Rocky Linux`, `AlmaLinux`,
 * `Wolfi`, `Chainguard`. Amazon Linux and Fedora have no OSV ecosystem: they get their own names so
 * nothing matches them by accident.
 */

import { debianCodenameRelease } from '../ecosystems/debian/releases.js';

export { debianCodenameRelease };

export interface OsFacts {
  family: string;
  version?: string;
  codename?: string;
  name?: string;
}

export interface OsEcosystem {
  /** OSV ecosystem base name, used as `Package.ecosystem` */
  base: string;
  /** release qualifier, e.g. `12`, `22.04`, `v3.19`, `9` */
  release?: string;
  /** `base` or `base:release`, used as `OsInfo.ecosystem` */
  ecosystem: string;
}

function major(version: string | undefined): string | undefined {
  const m = /^(\d+)/.exec(version ?? '');
  return m?.[1];
}

function majorMinor(version: string | undefined): string | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}

function debianRelease(os: OsFacts): string | undefined {
  const v = os.version ?? '';
  const num = major(v);
  if (num) return num;
  // `bookworm/sid` (debian_version of testing) or a bare codename
  const code = v.split('/')[0] ?? '';
  const fromVersion = code && code !== 'sid' ? debianCodenameRelease(code) : undefined;
  if (fromVersion) return fromVersion;
  return os.codename && os.codename !== 'sid' ? debianCodenameRelease(os.codename) : undefined;
}

const join = (base: string, release: string | undefined): OsEcosystem =>
  release ? { base, release, ecosystem: `${base}:${release}` } : { base, ecosystem: base };

export function osEcosystem(os: OsFacts): OsEcosystem {
  switch (os.family) {
    case 'debian':
      return join('Debian', debianRelease(os));
    case 'ubuntu':
      return join('Ubuntu', majorMinor(os.version));
    case 'alpine': {
      const mm = majorMinor(os.version);
      return join('Alpine', mm ? `v${mm}` : undefined);
    }
    case 'rhel':
    case 'centos':
      return join('Red Hat', major(os.version));
    case 'rocky':
      return join('Rocky Linux', major(os.version));
    case 'alma':
      return join('AlmaLinux', major(os.version));
    case 'fedora':
      return join('Fedora', major(os.version));
    case 'amzn':
      return join('Amazon Linux', major(os.version));
    case 'wolfi':
      return { base: 'Wolfi', ecosystem: 'Wolfi' };
    case 'chainguard':
      return { base: 'Chainguard', ecosystem: 'Chainguard' };
    default:
      return join(os.name || os.family, os.version || undefined);
  }
}

/**
 * True when an OSV record's `affected[].package.ecosystem` applies to an image whose OS ecosystem
 * is `osEco` (as produced by `osEcosystem`). Handles the forms OSV really uses:
 * `Ubuntu:22.04:LTS`, `Ubuntu:Pro:18.04:LTS`, `Red Hat:enterprise_linux:9::appstream`,
 * `Red Hat:rhel_eus:9.2::baseos`, `Alpine:v3.19`, `Debian:12`, and unqualified bases.
 */
export function osvEcosystemMatches(recordEco: string, osEco: string): boolean {
  if (recordEco === osEco) return true;
  const [osBase, osRelease] = splitOnce(osEco);
  const [recBase, recRest] = splitOnce(recordEco);
  if (recBase !== osBase) return false;
  if (recRest === undefined) return osRelease === undefined;
  if (osRelease === undefined) return false;
  if (recBase === 'Ubuntu') {
    const release = (rest: string) =>
      rest.split(':').filter((p) => p !== 'Pro' && p !== 'LTS' && p !== 'FIPS')[0];
    return release(recRest) === release(osRelease);
  }
  if (recBase === 'Red Hat') {
    // `enterprise_linux:9::appstream` -> 9; `rhel_eus:9.2::baseos` -> 9
    const version = recRest.split(':')[1] ?? '';
    return major(version) === osRelease;
  }
  return recRest === osRelease;
}

function splitOnce(s: string): [string, string | undefined] {
  const i = s.indexOf(':');
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

/** purl namespace for an OS family's packages (`pkg:deb/debian`, `pkg:rpm/redhat`, ...). */
export function purlNamespace(family: string): string {
  switch (family) {
    case 'rhel':
      return 'redhat';
    case 'centos':
      return 'centos';
    case 'alma':
      return 'almalinux';
    case 'amzn':
      return 'amazon';
    default:
      return family;
  }
}

/** `distro=` purl qualifier: `debian-12`, `ubuntu-22.04`, `alpine-3.19.1`, `rhel-9.3`. */
export function purlDistro(os: OsFacts): string | undefined {
  const ns = os.family === 'alma' ? 'almalinux' : os.family;
  if (!os.version) return undefined;
  return `${ns}-${os.version}`;
}
