import { PackageURL } from 'packageurl-js';
import type { OsInfo, Package } from '../core/types.js';
import { osEcosystem } from '../inventory/index.js';

/** OS family (as bulwark's OS detection names it) for a purl's type and namespace. */
function osFamily(type: string, namespace: string): string | undefined {
  const ns = namespace.toLowerCase();
  if (type === 'deb') return ns === 'ubuntu' ? 'ubuntu' : ns === 'debian' ? 'debian' : undefined;
  if (type === 'apk') return ['alpine', 'wolfi', 'chainguard'].includes(ns) ? ns : undefined;
  if (type === 'rpm') {
    const map: Record<string, string> = {
      redhat: 'rhel',
      rhel: 'rhel',
      centos: 'centos',
      rocky: 'rocky',
      almalinux: 'alma',
      alma: 'alma',
      fedora: 'fedora',
      amazon: 'amzn',
      amzn: 'amzn',
    };
    return map[ns];
  }
  return undefined;
}

const LANG: Record<string, string> = {
  npm: 'npm',
  pypi: 'PyPI',
  maven: 'Maven',
  golang: 'Go',
  gem: 'RubyGems',
  cargo: 'crates.io',
  composer: 'Packagist',
  nuget: 'NuGet',
};

/** `debian-12`, `debian-12.4`, `ubuntu-22.04`, `alpine-3.19.1`, Trivy's bare `3.16.0`, Red Hat's `el9`. */
function distroVersion(family: string, namespace: string, distro: string | undefined): string | undefined {
  if (!distro) return undefined;
  let v = distro;
  for (const prefix of [`${namespace}-`, `${family}-`]) if (v.startsWith(prefix)) v = v.slice(prefix.length);
  const el = /^el(\d+)$/.exec(v);
  if (el) return el[1];
  return v || undefined;
}

export interface PurlPackage {
  pkg: Omit<Package, 'location'>;
  /** the OS the purl's `distro` qualifier names, when it does */
  os?: OsInfo;
}

/** An OsInfo from a family and a version, as the image OS detection would have made it. */
export function osInfo(family: string, version: string, name?: string): OsInfo {
  const eco = osEcosystem({ family, version });
  return { family, name: name ?? family, version, ecosystem: eco.ecosystem };
}

/** rpm's `upstream=openssl-3.0.7-16.el9.src.rpm` names the source rpm: drop version, release and suffix. */
function rpmSourceName(upstream: string): string {
  const base = upstream.replace(/\.src\.rpm$|\.rpm$/, '');
  const parts = base.split('-');
  return parts.length > 2 ? parts.slice(0, -2).join('-') : base;
}

/**
 * A purl as a bulwark package: ecosystem from the type (and for OS packages the namespace), names
 * as the ecosystem's advisories spell them (`group:artifact` for Maven, `ns/name` for Composer and
 * Go, `@scope/name` for npm). Returns a reason string for purls bulwark cannot match.
 */
export function packageFromPurl(purl: string, fallbackVersion?: string): PurlPackage | string {
  let u: PackageURL;
  try {
    u = PackageURL.fromString(purl);
  } catch {
    return 'not a valid purl';
  }
  const version = u.version ?? fallbackVersion;
  if (!version) return 'the purl has no version';
  const q = (u.qualifiers ?? {}) as Record<string, string>;
  const ns = u.namespace ?? '';
  const family = osFamily(u.type, ns);
  if (family) {
    const release = distroVersion(family, ns, q.distro);
    const os = release ? osInfo(family, release) : undefined;
    const base = osEcosystem({ family, version: release ?? '' }).base;
    const epoch = u.type === 'rpm' && q.epoch && !version.includes(':') ? `${q.epoch}:` : '';
    let sourceName: string | undefined;
    let sourceVersion: string | undefined;
    if (q.upstream) {
      if (u.type === 'rpm') sourceName = rpmSourceName(q.upstream);
      else {
        const at = q.upstream.indexOf('@');
        sourceName = at > 0 ? q.upstream.slice(0, at) : q.upstream;
        if (at > 0) sourceVersion = q.upstream.slice(at + 1);
      }
    }
    return {
      pkg: {
        name: u.name,
        version: `${epoch}${version}`,
        ecosystem: base,
        type: 'os',
        purl,
        ...(sourceName && sourceName !== u.name ? { sourceName } : {}),
        ...(sourceVersion && sourceVersion !== version ? { sourceVersion } : {}),
        ...(q.arch ? { arch: q.arch } : {}),
      },
      ...(os ? { os } : {}),
    };
  }
  if (['deb', 'apk', 'rpm'].includes(u.type)) return `unknown ${u.type} distribution "${ns}"`;
  const ecosystem = LANG[u.type];
  if (!ecosystem) return `purl type "${u.type}" has no vulnerability ecosystem`;
  let name = u.name;
  if (u.type === 'maven') {
    if (!ns) return 'a Maven purl needs a group (namespace)';
    name = `${ns}:${u.name}`;
  } else if (ns) name = `${ns}/${u.name}`;
  return { pkg: { name, version, ecosystem, type: 'lang', purl } };
}
