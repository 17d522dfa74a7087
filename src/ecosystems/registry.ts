import { alpineScheme } from './alpine/version.js';
import { cargoScheme } from './cargo/version.js';
import { debianScheme } from './debian/version.js';
import { goScheme } from './go/version.js';
import { mavenScheme } from './maven/version.js';
import { npmScheme } from './npm/version.js';
import { nugetScheme } from './nuget/version.js';
import { packagistScheme } from './packagist/version.js';
import { normalizePypiName, pypiScheme } from './pypi/version.js';
import { rpmScheme } from './rpm/version.js';
import { rubygemsScheme } from './rubygems/version.js';
import type { VersionScheme } from './types.js';

/**
 * Version scheme families, one per folder. The version modules are a few KB each with no I/O, so
 * they are imported directly: the matcher needs a synchronous compare in its hot loop. Heavy
 * per-ecosystem code (package-file parsers) stays behind each folder's index and is not imported
 * here.
 */
export const SCHEMES: Readonly<Record<string, VersionScheme>> = {
  alpine: alpineScheme,
  cargo: cargoScheme,
  debian: debianScheme,
  go: goScheme,
  maven: mavenScheme,
  npm: npmScheme,
  nuget: nugetScheme,
  packagist: packagistScheme,
  pypi: pypiScheme,
  rpm: rpmScheme,
  rubygems: rubygemsScheme,
};

export interface EcosystemEntry {
  /** key in SCHEMES (the folder holding the version scheme) */
  family: keyof typeof SCHEMES & string;
  /** package-url type */
  purl: string;
  /** how package names are made comparable; identity when absent */
  normalizeName?: (name: string) => string;
}

const lower = (name: string): string => name.toLowerCase();
// crates.io treats `-`/`_` and letter case as the same crate name.
const crateName = (name: string): string => name.toLowerCase().replace(/_/g, '-');

const deb = { family: 'debian', purl: 'deb' } as const;
const apk = { family: 'alpine', purl: 'apk' } as const;
const rpm = { family: 'rpm', purl: 'rpm' } as const;

/** OSV ecosystem base names bulwark can match, sorted. */
export const ECOSYSTEMS: Readonly<Record<string, EcosystemEntry>> = {
  AlmaLinux: rpm,
  Alpaquita: apk,
  Alpine: apk,
  'Amazon Linux': rpm,
  'Azure Linux': rpm,
  CentOS: rpm,
  Chainguard: apk,
  'crates.io': { family: 'cargo', purl: 'cargo', normalizeName: crateName },
  Debian: deb,
  Fedora: rpm,
  Go: { family: 'go', purl: 'golang' },
  Mageia: rpm,
  Maven: { family: 'maven', purl: 'maven' },
  MinimOS: apk,
  npm: { family: 'npm', purl: 'npm' },
  NuGet: { family: 'nuget', purl: 'nuget', normalizeName: lower },
  openEuler: rpm,
  openSUSE: rpm,
  'Oracle Linux': rpm,
  Packagist: { family: 'packagist', purl: 'composer', normalizeName: lower },
  'Photon OS': rpm,
  PyPI: { family: 'pypi', purl: 'pypi', normalizeName: normalizePypiName },
  'Red Hat': rpm,
  'Rocky Linux': rpm,
  RubyGems: { family: 'rubygems', purl: 'gem' },
  SUSE: rpm,
  Ubuntu: deb,
  Wolfi: apk,
};
