import { PackageURL } from 'packageurl-js';
import type { OsInfo, Package } from '../core/types.js';
import { OS_FILES } from './analyzers/os-release.js';
import { osEcosystem, purlDistro, purlNamespace } from './os.js';

export interface OsFactInput {
  path: string;
  os: Partial<OsInfo> & { family: string };
}

const rank = (path: string): number => {
  const i = (OS_FILES as readonly string[]).indexOf(path);
  return i < 0 ? OS_FILES.length : i;
};

/**
 * Combines the OS facts found in the final (merged) image into one `OsInfo`: os-release wins,
 * then lsb-release, then the `*-release` files; a missing version is taken from another file of
 * the same family (Debian testing's os-release has no VERSION_ID; `debian_version` says
 * `trixie/sid`). `distroless` is set when os-release says so or when the dpkg packages come only
 * from `status.d/` (pass the package locations for that).
 */
export function mergeOsFacts(
  facts: OsFactInput[],
  packageLocations: Iterable<string> = [],
): OsInfo | undefined {
  if (facts.length === 0) return undefined;
  const sorted = [...facts].sort((a, b) => rank(a.path) - rank(b.path));
  const best = sorted[0]!.os;
  const same = sorted.filter((f) => f.os.family === best.family).map((f) => f.os);
  const version = same.find((o) => o.version)?.version ?? '';
  const codename = same.find((o) => o.codename)?.codename;
  let statusD = false;
  let status = false;
  for (const loc of packageLocations) {
    if (loc === 'var/lib/dpkg/status') status = true;
    else if (loc.startsWith('var/lib/dpkg/status.d/')) statusD = true;
  }
  const os: OsInfo = {
    family: best.family,
    name: best.name ?? best.family,
    version,
    ecosystem: '',
  };
  if (codename) os.codename = codename;
  if (same.some((o) => o.distroless) || (statusD && !status)) os.distroless = true;
  os.ecosystem = osEcosystem(os).ecosystem;
  return os;
}

const OS_PURL_TYPES = new Set(['deb', 'rpm', 'apk']);

/**
 * Fills what an OS package analyzer cannot know from one file: the ecosystem (OSV base name) and
 * the purl's distro namespace and `distro=` qualifier. Language packages pass through unchanged.
 */
export function finalizeOsPackage<T extends Omit<Package, 'layer'>>(pkg: T, os: OsInfo | undefined): T {
  if (pkg.type !== 'os' || !os) return pkg;
  const out = { ...pkg };
  if (!out.ecosystem) out.ecosystem = osEcosystem(os).base;
  try {
    const purl = PackageURL.fromString(pkg.purl);
    if (!OS_PURL_TYPES.has(purl.type)) return out;
    const ns =
      purl.type === 'deb' ? (os.family === 'ubuntu' ? 'ubuntu' : 'debian') : purlNamespace(os.family);
    const qualifiers = { ...(purl.qualifiers ?? {}) };
    const distro = purlDistro(os);
    if (distro) qualifiers.distro = distro;
    out.purl = new PackageURL(purl.type, ns, purl.name, purl.version, qualifiers, purl.subpath).toString();
  } catch {
    // a purl we built ourselves always parses; keep it unchanged rather than fail the scan
  }
  return out;
}
