/**
 * `pnpm-lock.yaml`, lockfile versions 5.x (`/name/1.0.0_peer`), 6.x (`/name@1.0.0(peer@2)`) and
 * 9.x (`name@1.0.0` under `packages`, the graph under `snapshots`). v5 and v6 mark dev-only packages
 * with `dev: true`; v9 does not, so dev-only is what the importers' production dependencies cannot
 * reach. `file:` packages are listed as npm lockfiles' are (version from the entry, else ''),
 * marked `metadata.source: 'local'`; linked workspace packages (`link:`, not in `packages`) are not.
 * pnpm 11 may write its env lockfile (the package manager and config dependencies) as a first YAML
 * document: that document is not the project's and is not read.
 */
import {
  finishPackages,
  isRecord,
  stripBom,
  type LangPackage,
  type LangParseResult,
  cappedProblems,
} from '../lang-types.js';
import semver from 'semver';
import { readYamlDocuments } from '../lang-yaml.js';
import { isValidNpmName, npmPurl } from './parse.js';

interface NameVersion {
  name: string;
  version: string;
}

/** Removes peer-dependency suffixes: `1.0.0(react@18.2.0)` (v6+) and `1.0.0_react@18.2.0` (v5). */
function stripPeers(version: string, v5: boolean): string {
  const paren = version.indexOf('(');
  let v = paren >= 0 ? version.slice(0, paren) : version;
  if (v5) {
    const u = v.indexOf('_');
    if (u >= 0) v = v.slice(0, u);
  }
  return v;
}

/** The package a `packages`/`snapshots` key names, or undefined for keys that are not `name@version`. */
export function parsePnpmKey(key: string, lockVersion: number): NameVersion | undefined {
  const v5 = lockVersion < 6;
  let k = key.startsWith('/') ? key.slice(1) : key;
  const paren = k.indexOf('(');
  if (paren >= 0) k = k.slice(0, paren);
  if (v5) {
    // pnpm's dependency-path: `/@scope/name/1.0.0_peer` or `/name/1.0.0`, or with the registry
    // host first for a package of another registry (`registry.npmjs.org/foo/1.1.0`); peers write
    // their scopes with `+`, never `/`. Only a valid semver version names a registry package
    // (`github.com/user/repo` and `/foo/bar` do not).
    const segs = k.split('/');
    if (!key.startsWith('/')) segs.shift();
    const take = segs[0]?.startsWith('@') ? 2 : 1;
    if (segs.length !== take + 1) return undefined;
    const version = stripPeers(segs[take]!, true);
    if (!semver.valid(version)) return undefined;
    return { name: segs.slice(0, take).join('/'), version };
  }
  const at = k.indexOf('@', 1);
  if (at <= 0) return undefined;
  return { name: k.slice(0, at), version: k.slice(at + 1) };
}

const isLocal = (ref: string): boolean => /^(?:link|file|workspace):/.test(ref);
const looksLikeVersion = (v: string): boolean => /^\d/.test(v);

/**
 * Where a dependency reference points: a version (`2.1.2`, `1.0.0(peer@1)`), or an alias naming
 * another package (`/string-width/4.2.3` in v5, `/string-width@4.2.3` in v6, `string-width@4.2.3` in v9).
 */
function resolveRef(
  depName: string,
  ref: string,
  lockVersion: number,
  packages: Record<string, unknown>,
): { key: string; pkg: NameVersion } | undefined {
  // tarball, git and file references: the key is `name@<url>` (v9) or the reference itself (v5/v6)
  for (const key of [`${depName}@${ref}`, ref]) {
    const e = packages[key];
    if (!isRecord(e)) continue;
    if (typeof e.version === 'string') return { key, pkg: { name: depName, version: e.version } };
    if (isLocal(ref)) return { key, pkg: { name: depName, version: '' } };
  }
  if (isLocal(ref)) return undefined;
  if (looksLikeVersion(ref)) {
    const version = stripPeers(ref, lockVersion < 6);
    const key =
      lockVersion >= 9 ? `${depName}@${ref}` : lockVersion >= 6 ? `/${depName}@${ref}` : `/${depName}/${ref}`;
    return { key, pkg: { name: depName, version } };
  }
  const pkg = parsePnpmKey(ref, lockVersion);
  return pkg ? { key: ref, pkg } : undefined;
}

/** dependency name -> reference, from `{name: '1.0.0'}` (v5) or `{name: {specifier, version}}` (v6+). */
function refsOf(...maps: unknown[]): [string, string][] {
  const out: [string, string][] = [];
  for (const m of maps) {
    if (!isRecord(m)) continue;
    for (const [name, v] of Object.entries(m)) {
      const ref = isRecord(v) ? v.version : v;
      if (typeof ref === 'string' || typeof ref === 'number') out.push([name, String(ref)]);
    }
  }
  return out;
}

const baseKey = (key: string): string => {
  const paren = key.indexOf('(');
  return paren >= 0 ? key.slice(0, paren) : key;
};

/** pnpm's env lockfile document: importers declaring only the package manager and config dependencies. */
function isEnvDocument(doc: unknown): boolean {
  if (!isRecord(doc) || !isRecord(doc.importers)) return false;
  const importers = Object.values(doc.importers);
  return (
    importers.length > 0 &&
    importers.every(
      (imp) =>
        isRecord(imp) &&
        Object.keys(imp).every((k) => k === 'configDependencies' || k === 'packageManagerDependencies'),
    )
  );
}

export function parsePnpmLock(input: string): LangParseResult {
  const parseProblems: string[] = [];
  const docs = readYamlDocuments(stripBom(input), parseProblems);
  if (parseProblems.length || !docs) return { packages: [], problems: parseProblems };
  const project = docs.filter((d) => !isEnvDocument(d));
  if (project.length > 1)
    return { packages: [], problems: [`${project.length} lockfile documents: pnpm writes one`] };
  const doc = project[0];
  if (!isRecord(doc)) return { packages: [], problems: ['not a pnpm lockfile'] };
  const lockVersion = Number.parseFloat(String(doc.lockfileVersion ?? ''));
  if (!Number.isFinite(lockVersion))
    return { packages: [], problems: ['no lockfileVersion: not a pnpm lockfile'] };
  const problems: string[] = cappedProblems();
  if (lockVersion < 5 || lockVersion >= 10)
    problems.push(`lockfileVersion ${lockVersion} is not one bulwark knows`);
  const packages = isRecord(doc.packages) ? doc.packages : {};
  // v9 keeps each package's dependencies in `snapshots`, keyed with peer suffixes
  const graph: Record<string, unknown> =
    lockVersion >= 9 && isRecord(doc.snapshots) ? doc.snapshots : packages;

  const purlOfKey = new Map<string, string>();
  const found: (LangPackage & { key: string })[] = [];
  for (const [key, raw] of Object.entries(packages)) {
    const entry = isRecord(raw) ? raw : {};
    const fromKey = parsePnpmKey(key, lockVersion);
    // tarball and git dependencies carry their name and version in the entry
    // a `file:` package (v9 `name@file:dir`, v5/v6 `file:dir` with the name in the entry)
    const localKey = /(?:^|@)file:/.test(key);
    const name =
      typeof entry.name === 'string'
        ? entry.name
        : (fromKey?.name ?? (localKey ? key.slice(0, key.indexOf('@file:', 1)) : undefined));
    const version = typeof entry.version === 'string' ? entry.version : localKey ? '' : fromKey?.version;
    if (
      !name ||
      version === undefined ||
      (!version && !localKey) ||
      !isValidNpmName(name) ||
      isLocal(version)
    ) {
      problems.push(`entry ${JSON.stringify(key.slice(0, 200))} has no usable name or version`);
      continue;
    }
    const purl = npmPurl(name, version);
    purlOfKey.set(baseKey(key), purl);
    found.push({
      key,
      name,
      version,
      purl,
      ...(entry.dev === true ? { dev: true } : {}),
      ...(localKey ? { metadata: { source: 'local' } } : {}),
    });
  }

  const depsOf = (key: string): [string, string][] => {
    const e = graph[key];
    return isRecord(e) ? refsOf(e.dependencies, e.optionalDependencies) : [];
  };
  const depPurls = new Map<string, Set<string>>();
  for (const key of Object.keys(graph)) {
    const purl = purlOfKey.get(baseKey(key));
    if (!purl) continue;
    const set = depPurls.get(purl) ?? new Set<string>();
    for (const [n, ref] of depsOf(key)) {
      const r = resolveRef(n, ref, lockVersion, packages);
      if (r && isValidNpmName(r.pkg.name)) set.add(npmPurl(r.pkg.name, r.pkg.version));
    }
    depPurls.set(purl, set);
  }

  const prodReach = lockVersion >= 9 ? reachableFromProduction(doc, packages, graph, lockVersion) : undefined;
  const out = found.map(({ key, ...p }) => {
    const deps = depPurls.get(p.purl);
    const pkg: LangPackage = { ...p, ...(deps?.size ? { dependsOn: [...deps].sort() } : {}) };
    if (prodReach && !prodReach.has(baseKey(key))) pkg.dev = true;
    return pkg;
  });
  return { packages: finishPackages(out), problems };
}

/** Base keys of every package the importers' production and optional dependencies pull in (v9). */
function reachableFromProduction(
  doc: Record<string, unknown>,
  packages: Record<string, unknown>,
  graph: Record<string, unknown>,
  lockVersion: number,
) {
  const importers = isRecord(doc.importers) ? Object.values(doc.importers) : [doc];
  const queue: string[] = [];
  for (const imp of importers) {
    if (!isRecord(imp)) continue;
    for (const [n, ref] of refsOf(imp.dependencies, imp.optionalDependencies)) {
      const r = resolveRef(n, ref, lockVersion, packages);
      if (r) queue.push(r.key);
    }
  }
  const seen = new Set<string>();
  while (queue.length) {
    const key = queue.pop()!;
    if (seen.has(key)) continue;
    seen.add(key);
    const e = graph[key];
    if (!isRecord(e)) continue;
    for (const [n, ref] of refsOf(e.dependencies, e.optionalDependencies)) {
      const r = resolveRef(n, ref, lockVersion, packages);
      if (r && !seen.has(r.key)) queue.push(r.key);
    }
  }
  return new Set([...seen].map(baseKey));
}
