/**
 * Dev marks for lockfiles that do not record them (`yarn.lock`, `Cargo.lock`, `Gemfile.lock`):
 * the project manifest beside each lockfile (a `manifest` fact) names the direct production and
 * development dependencies, and the lockfile's graph (`dependsOn`) carries them down. A package is
 * marked `metadata.dev: true` when it is reachable from development roots only, as npm marks
 * `package-lock.json`: one production path makes it production. Packages reachable from no root
 * stay unmarked, and a lockfile whose roots cannot all be followed (a Gemfile read only partly, a
 * local dependency outside the scanned folder) gets no marks at all: a wrong dev mark hides a
 * production vulnerability, a missing one only shows a development one.
 *
 * Runs after the merge, on the final view: pure, so the per-file analyses stay cacheable.
 */
import path from 'node:path/posix';
import semver from 'semver';
import type { FileFact, Inventory, Package } from '../core/types.js';
import type { ManifestDep, ManifestRoots } from '../ecosystems/lang-types.js';
import { GO_MOD_FACT, mergeGoSums } from './go-sum-merge.js';

/** The fact kind the `manifest` analyzer emits; `linkManifests` consumes (and removes) these facts. */
export const MANIFEST_FACT = 'manifest';

type Eco = 'npm' | 'cargo' | 'gem';

/** Lockfile name -> the ecosystem and the manifest file that explains it. */
const LOCKS: Record<string, { eco: Eco; manifest: string }> = {
  'yarn.lock': { eco: 'npm', manifest: 'package.json' },
  'Cargo.lock': { eco: 'cargo', manifest: 'Cargo.toml' },
  'Gemfile.lock': { eco: 'gem', manifest: 'Gemfile' },
  'gems.locked': { eco: 'gem', manifest: 'gems.rb' },
};

function decode(f: FileFact): ManifestRoots | undefined {
  try {
    const list = (k: string): unknown => JSON.parse(String(f.data[k] ?? '[]'));
    const [prod, dev, workspaces, excluded] = ['prod', 'dev', 'workspaces', 'excluded'].map(list);
    if (![prod, dev, workspaces, excluded].every(Array.isArray)) return undefined;
    return {
      ...(typeof f.data.name === 'string' ? { name: f.data.name } : {}),
      prod: prod as ManifestDep[],
      dev: dev as ManifestDep[],
      workspaces: workspaces as string[],
      excluded: excluded as string[],
      complete: f.data.complete === true,
    };
  } catch {
    return undefined;
  }
}

/**
 * A workspace glob (`packages/*`, `crates/**`) as an anchored regex over folder paths, or
 * undefined for one too long or with too many wildcards to match in bounded time.
 */
function globRegex(glob: string): RegExp | undefined {
  const g = glob.replace(/^\.\//, '').replace(/\/+$/, '');
  if (g.length > 256 || (g.match(/[*?]/g)?.length ?? 0) > 8) return undefined;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Cargo's bare requirement `1.2` means `^1.2`; its comma-joined ones are npm's space-joined ones. */
function npmRange(eco: Eco, req: string): string {
  if (eco !== 'cargo') return req;
  return req
    .split(',')
    .map((p) => p.trim())
    .map((p) => (/^[0-9]/.test(p) ? `^${p}` : p))
    .join(' ');
}

function satisfies(eco: Eco, version: string, req: string): boolean {
  if (eco === 'gem' || req === '') return true;
  try {
    return semver.satisfies(version, npmRange(eco, req), { loose: true, includePrerelease: true });
  } catch {
    return false;
  }
}

/** The purls marked dev among one lockfile's packages, or undefined when nothing can be concluded. */
function devPurls(
  lock: string,
  kind: { eco: Eco; manifest: string },
  packages: Package[],
  manifests: Map<string, ManifestRoots>,
): Set<string> | undefined {
  const dir = path.dirname(lock);
  const rootPath = path.join(dir, kind.manifest);
  const root = manifests.get(rootPath);
  if (!root) return undefined;
  const members = new Map<string, ManifestRoots>([[rootPath, root]]);
  const include = root.workspaces.slice(0, 1000).map(globRegex);
  const exclude = root.excluded.slice(0, 1000).map(globRegex);
  // an unusable glob may hide a member, and with it production roots
  if (!include.every(Boolean) || !exclude.every(Boolean)) return undefined;
  for (const [p, m] of manifests) {
    if (path.basename(p) !== kind.manifest || !p.startsWith(dir === '.' ? '' : `${dir}/`)) continue;
    const rel = path.relative(dir, path.dirname(p));
    if (include.some((r) => r!.test(rel)) && !exclude.some((r) => r!.test(rel))) members.set(p, m);
  }
  const memberByName = new Map<string, string>();
  for (const [p, m] of members) if (m.name) memberByName.set(m.name, p);

  const byName = new Map<string, Package[]>();
  const byPurl = new Map<string, Package>();
  for (const p of packages) {
    byPurl.set(p.purl, p);
    const list = byName.get(p.name);
    if (list) list.push(p);
    else byName.set(p.name, [p]);
  }
  const frontier = { prod: [] as string[], dev: [] as string[] };
  let complete = true;
  const visited = new Set<string>();

  const visit = (manifestPath: string, as: 'prod' | 'dev', withDev: boolean): void => {
    const key = `${manifestPath}\0${as}\0${withDev}`;
    if (visited.has(key)) return;
    visited.add(key);
    const m = manifests.get(manifestPath);
    if (!m?.complete) {
      complete = false;
      return;
    }
    const base = path.dirname(manifestPath);
    for (const dep of m.prod) resolve(dep, as, base);
    if (withDev) for (const dep of m.dev) resolve(dep, 'dev', base);
  };

  const resolve = (dep: ManifestDep, as: 'prod' | 'dev', base: string): void => {
    if (dep.path !== undefined && kind.eco === 'gem') {
      // a Gemfile's `gemspec`: the PATH gem Bundler locked from that folder, with its dependencies
      const want = path.normalize(dep.path);
      const local = packages.filter(
        (p) =>
          p.metadata?.source === 'path' &&
          typeof p.metadata.path === 'string' &&
          path.normalize(p.metadata.path) === want &&
          (dep.name === '' || p.name === dep.name),
      );
      if (!local.length) complete = false;
      for (const p of local) frontier[as].push(p.purl);
      return;
    }
    if (dep.path !== undefined) {
      const target = path.normalize(path.join(base, dep.path));
      if (target === '..' || target.startsWith('../')) complete = false;
      else visit(path.join(target, kind.manifest), as, false);
      return;
    }
    const candidates = dep.workspace ? [] : (byName.get(dep.name) ?? []);
    if (!candidates.length) {
      // a workspace member named as a dependency (lockfiles leave local packages out)
      const member = memberByName.get(dep.name);
      if (member) visit(member, as, false);
      else if (dep.workspace) complete = false;
      return;
    }
    const fitting = candidates.filter((c) => satisfies(kind.eco, c.version, dep.req));
    // an unreadable requirement: production takes every candidate, development none
    const chosen =
      candidates.length === 1 ? candidates : fitting.length ? fitting : as === 'prod' ? candidates : [];
    for (const c of chosen) frontier[as].push(c.purl);
  };

  for (const p of members.keys()) visit(p, 'prod', true);
  if (!complete) return undefined;

  const reach = (start: string[]): Set<string> => {
    const seen = new Set<string>();
    const queue = [...start];
    while (queue.length) {
      const purl = queue.pop()!;
      if (seen.has(purl)) continue;
      seen.add(purl);
      for (const d of byPurl.get(purl)?.dependsOn ?? []) if (byPurl.has(d) && !seen.has(d)) queue.push(d);
    }
    return seen;
  };
  const prod = reach(frontier.prod);
  const dev = new Set<string>();
  for (const purl of reach(frontier.dev)) if (!prod.has(purl)) dev.add(purl);
  return dev;
}

/**
 * Marks development-only packages of `yarn.lock`, `Cargo.lock` and `Gemfile.lock` from the
 * `manifest` facts beside them, joins go.sum modules to go.mod files older than go 1.17 (see
 * `mergeGoSums`), and drops the plumbing facts of both.
 */
export function linkManifests(input: Inventory): Inventory {
  const all = input.facts ?? [];
  // go.sum modules count beside go.mod files older than go 1.17 only
  const inventory = { ...input, packages: mergeGoSums(input.packages, all) };
  const manifests = new Map<string, ManifestRoots>();
  const facts: FileFact[] = [];
  for (const f of all) {
    if (f.kind === GO_MOD_FACT && f.analyzer === 'go-mod') continue;
    if (f.kind !== MANIFEST_FACT || f.analyzer !== 'manifest') {
      facts.push(f);
      continue;
    }
    const roots = decode(f);
    if (roots) manifests.set(f.path, roots);
  }
  const { facts: _dropped, ...rest } = inventory;
  const out: Inventory = { ...rest, ...(facts.length ? { facts } : {}) };
  if (!manifests.size) return out;

  const byLock = new Map<string, Package[]>();
  for (const p of inventory.packages) {
    if (!Object.hasOwn(LOCKS, path.basename(p.location))) continue;
    const list = byLock.get(p.location);
    if (list) list.push(p);
    else byLock.set(p.location, [p]);
  }
  const marks = new Map<string, Set<string>>();
  for (const [lock, packages] of byLock) {
    const dev = devPurls(lock, LOCKS[path.basename(lock)]!, packages, manifests);
    if (dev?.size) marks.set(lock, dev);
  }
  if (!marks.size) return out;
  out.packages = inventory.packages.map((p) =>
    marks.get(p.location)?.has(p.purl) ? { ...p, metadata: { ...p.metadata, dev: true } } : p,
  );
  return out;
}
