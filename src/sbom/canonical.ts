import { createHash } from 'node:crypto';
import { PackageURL } from 'packageurl-js';
import type { Inventory, OsInfo, Package } from '../core/types.js';
import { purlDistro } from '../inventory/index.js';

/**
 * Other analyzers may record a package's dependencies as purls (or `name@version`); the field is
 * optional on `Package`, so it is read through this view.
 */
export type GraphPackage = Package & { dependsOn?: string[] };

/** A package as both writers see it: a stable id and the ids of its dependencies. */
export interface SbomPackage {
  pkg: GraphPackage;
  /** unique within the document; the CycloneDX bom-ref */
  ref: string;
  /** `SPDXRef-Package-...`, unique within the document */
  spdxId: string;
  /** purl with the OS `distro` qualifier filled in for OS packages */
  purl: string;
  /** refs of resolved dependencies, sorted; undefined when the graph is unknown for this package */
  dependsOn?: string[];
}

export interface CanonicalSbom {
  inventory: Inventory;
  packages: SbomPackage[];
  /** sha256 (hex) of the canonical inventory: feeds the serial number and document namespace */
  digest: string;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function byPackage(a: Package, b: Package): number {
  return (
    cmp(a.ecosystem, b.ecosystem) ||
    cmp(a.name, b.name) ||
    cmp(a.version, b.version) ||
    cmp(a.location, b.location) ||
    cmp(a.purl, b.purl)
  );
}

/** OS packages get `distro=<family>-<version>` (as Syft and Trivy write it) so readers know the release. */
export function withDistro(p: Package, os: OsInfo | undefined): string {
  if (p.type !== 'os' || !os || !p.purl.startsWith('pkg:')) return p.purl;
  const distro = purlDistro(os);
  if (!distro) return p.purl;
  try {
    const u = PackageURL.fromString(p.purl);
    if (u.qualifiers?.distro) return p.purl;
    return new PackageURL(
      u.type,
      u.namespace,
      u.name,
      u.version,
      { ...(u.qualifiers ?? {}), distro },
      u.subpath,
    ).toString();
  } catch {
    return p.purl;
  }
}

/** RFC 4122 layout with the version nibble 5 and the variant bits set: a name-based UUID from a digest. */
export function uuidFromDigest(hex: string): string {
  const v = `5${hex.slice(13, 16)}`;
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16) + hex.slice(17, 20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${v}-${variant}-${hex.slice(20, 32)}`;
}

function sanitizeSpdx(s: string): string {
  return s.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}

/** What the document's identity depends on: everything written except time and tool version. */
function canonicalJson(inv: Inventory, pkgs: SbomPackage[]): string {
  const t = inv.target;
  return JSON.stringify({
    target: {
      kind: t.kind,
      name: t.name,
      digest: t.digest ?? null,
      imageId: t.imageId ?? null,
      platform: t.platform ?? null,
      layers: (t.layers ?? []).map((l) => [l.index, l.digest, l.diffId]),
    },
    os: inv.os ? [inv.os.family, inv.os.name, inv.os.version, inv.os.ecosystem] : null,
    packages: pkgs.map(({ pkg: p, purl, dependsOn }) => [
      p.ecosystem,
      p.name,
      p.version,
      p.type,
      purl,
      p.sourceName ?? null,
      p.sourceVersion ?? null,
      p.arch ?? null,
      p.licenses ?? [],
      p.location,
      p.layer ? [p.layer.index, p.layer.digest, p.layer.diffId] : null,
      dependsOn ?? null,
    ]),
  });
}

/**
 * Sorts and de-duplicates the packages, gives each a stable ref and resolves `dependsOn` entries
 * (purls, or `name@version`, or a bare name when unambiguous) to refs. Dependencies that name
 * nothing in the inventory are dropped: a graph edge must point at a listed component.
 */
export function canonicalize(inv: Inventory): CanonicalSbom {
  const seen = new Set<string>();
  const sorted: GraphPackage[] = [];
  for (const p of [...inv.packages].sort(byPackage)) {
    const key = `${p.purl}\0${p.location}\0${p.name}\0${p.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    sorted.push(p);
  }
  const usedRefs = new Set<string>();
  const usedSpdx = new Set<string>();
  const packages: SbomPackage[] = sorted.map((pkg) => {
    const purl = withDistro(pkg, inv.os);
    let ref = purl || `${pkg.ecosystem}/${pkg.name}@${pkg.version}`;
    if (usedRefs.has(ref)) ref = `${ref}#${pkg.location}`;
    for (let i = 2; usedRefs.has(ref); i++) ref = `${purl}#${pkg.location}#${i}`;
    usedRefs.add(ref);
    let spdxId = `SPDXRef-Package-${sanitizeSpdx(pkg.ecosystem)}-${sanitizeSpdx(pkg.name)}-${shortHash(ref)}`;
    for (let i = 2; usedSpdx.has(spdxId); i++) spdxId = `${spdxId}-${i}`;
    usedSpdx.add(spdxId);
    return { pkg, ref, spdxId, purl };
  });

  const byKey = new Map<string, SbomPackage[]>();
  const index = (k: string, s: SbomPackage): void => {
    const list = byKey.get(k) ?? [];
    if (list.includes(s)) return;
    list.push(s);
    byKey.set(k, list);
  };
  for (const s of packages) {
    index(s.pkg.purl, s);
    index(s.purl, s);
    index(`${s.pkg.ecosystem}\0${s.pkg.name}@${s.pkg.version}`, s);
    index(`${s.pkg.ecosystem}\0${s.pkg.name}`, s);
  }
  const resolve = (from: SbomPackage, dep: string): SbomPackage | undefined => {
    const eco = from.pkg.ecosystem;
    const candidates =
      byKey.get(dep) ?? byKey.get(`${eco}\0${dep}`) ?? byKey.get(`${eco}\0${dep.replace(/@[^@]*$/, '')}`);
    if (!candidates?.length) return undefined;
    // the same package can be installed at several places: prefer the one beside the dependent
    const near = candidates.filter((c) => c.pkg.location === from.pkg.location);
    const pick = near.length === 1 ? near : candidates;
    return pick.length === 1 ? pick[0] : undefined;
  };
  for (const s of packages) {
    if (!s.pkg.dependsOn) continue;
    const refs = new Set<string>();
    for (const d of s.pkg.dependsOn) {
      const target = resolve(s, d);
      if (target && target !== s) refs.add(target.ref);
    }
    s.dependsOn = [...refs].sort();
  }
  const digest = createHash('sha256').update(canonicalJson(inv, packages)).digest('hex');
  return { inventory: inv, packages, digest };
}
