import type { OsInfo, Package } from '../core/types.js';
import { ecosystemBase, versionScheme } from '../ecosystems/index.js';
import { osvEcosystemMatches } from '../inventory/index.js';
import type { OsvAffected } from '../vulndb/types.js';

/** One (ecosystem, name, version) the matcher asks the database about for a package. */
export interface LookupTarget {
  ecosystem: string;
  name: string;
  version: string;
  /** keeps only the affected entries that describe this package at this naming level */
  accepts(entry: OsvAffected): boolean;
}

/** Debian and Ubuntu advisories name source packages and compare source versions. */
const SOURCE_NAMED = new Set(['Debian', 'Ubuntu']);

function schemeId(ecosystem: string): string | undefined {
  return versionScheme(ecosystem)?.id;
}

const accept = () => true;

function isSourceEntry(entry: OsvAffected): boolean {
  const purl = entry.package?.purl ?? '';
  const q = purl.indexOf('?');
  if (q < 0) return false;
  return new URLSearchParams(purl.slice(q + 1).split('#')[0]).get('arch') === 'source';
}

/**
 * The database ecosystems OS packages are matched in: the OS's release-qualified ecosystem plus
 * every spelling of that release the feed uses (`Ubuntu:22.04:LTS`,
 * `Red Hat:enterprise_linux:9::appstream`, ...). Ubuntu Pro streams describe ESM packages a plain
 * Ubuntu system does not have, so they are not matched.
 */
export function osEcosystems(os: OsInfo, known: readonly string[]): string[] {
  const out = new Set<string>([os.ecosystem]);
  for (const e of known) {
    if (e.includes(':Pro:')) continue;
    if (osvEcosystemMatches(e, os.ecosystem)) out.add(e);
  }
  return [...out].sort();
}

/**
 * Debian/Ubuntu advisories name source packages and source versions; Alpine's name the origin;
 * rpm feeds name source rpms when their purl says `arch=source`, else binary rpms; language
 * ecosystems name the package as published.
 */
export function lookupTargets(
  pkg: Package,
  os: OsInfo | undefined,
  known: readonly string[],
): LookupTarget[] {
  const base = pkg.ecosystem;
  const ecosystems =
    pkg.type === 'os' && os && ecosystemBase(os.ecosystem) === base
      ? osEcosystems(os, known)
      : [pkg.ecosystem];
  const out: LookupTarget[] = [];
  for (const ecosystem of ecosystems) {
    if (pkg.type === 'os' && SOURCE_NAMED.has(base)) {
      out.push({
        ecosystem,
        name: pkg.sourceName ?? pkg.name,
        version: pkg.sourceVersion ?? pkg.version,
        accepts: accept,
      });
    } else if (pkg.type === 'os' && schemeId(base) === 'apk') {
      out.push({ ecosystem, name: pkg.sourceName ?? pkg.name, version: pkg.version, accepts: accept });
    } else if (
      pkg.type === 'os' &&
      schemeId(base) === 'rpm' &&
      pkg.sourceName &&
      pkg.sourceName !== pkg.name
    ) {
      out.push({ ecosystem, name: pkg.name, version: pkg.version, accepts: (e) => !isSourceEntry(e) });
      out.push({ ecosystem, name: pkg.sourceName, version: pkg.version, accepts: isSourceEntry });
    } else {
      out.push({ ecosystem, name: pkg.name, version: pkg.version, accepts: accept });
    }
  }
  return out;
}
