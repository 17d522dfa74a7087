/**
 * npm package metadata: installed `node_modules/<name>/package.json` files and `package-lock.json` /
 * `npm-shrinkwrap.json` (lockfileVersion 1, 2 and 3). Pure functions over text; malformed input
 * yields problems, never exceptions.
 */
import { PackageURL } from 'packageurl-js';

export interface NpmPackage {
  name: string;
  version: string;
  /** path of the package inside its tree (`node_modules/a/node_modules/b`), or '' for the root */
  path: string;
  dev: boolean;
  optional: boolean;
  license?: string;
  /** names this package depends on (the graph, as declared) */
  dependencies: string[];
  /**
   * a workspace member or `file:` dependency: local code, not a registry package. `npm ls` lists
   * it under its link name with its package.json version, which may be '' (none recorded).
   */
  local?: true;
  /** installed from a git repository, not the registry */
  git?: true;
}

/** How npm writes git dependencies (`git+ssh://...#sha`, `github:user/repo#sha`, ...). */
const GIT_SPEC = /^(git\+[a-z]+:|git:|github:|gitlab:|bitbucket:|gist:)/;

export interface NpmParseResult {
  packages: NpmPackage[];
  problems: string[];
}

const NAME = /^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/i;

export function isValidNpmName(name: string): boolean {
  return name.length > 0 && name.length <= 214 && NAME.test(name);
}

export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const ns = slash > 0 ? name.slice(0, slash) : undefined;
  const local = slash > 0 ? name.slice(slash + 1) : name;
  return new PackageURL('npm', ns, local, version, undefined, undefined).toString();
}

function licenseOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (v && typeof v === 'object' && typeof (v as { type?: unknown }).type === 'string')
    return (v as { type: string }).type;
  if (Array.isArray(v)) {
    const parts = v.map(licenseOf).filter((x): x is string => Boolean(x));
    return parts.length ? parts.join(' OR ') : undefined;
  }
  return undefined;
}

function parseJsonObject(text: string, problems: string[]): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    problems.push('not a JSON object');
  } catch (e) {
    problems.push(`invalid JSON: ${(e as Error).message}`);
  }
  return undefined;
}

const depNames = (v: unknown): string[] =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v as object).sort() : [];

/** An installed package's own package.json (`node_modules/<name>/package.json`). */
export function parseInstalledPackageJson(text: string): NpmParseResult {
  const problems: string[] = [];
  const obj = parseJsonObject(text, problems);
  if (!obj) return { packages: [], problems };
  const { name, version } = obj;
  if (typeof name !== 'string' || typeof version !== 'string' || !name || !version) {
    problems.push('package.json has no name or version');
    return { packages: [], problems };
  }
  if (!isValidNpmName(name)) {
    problems.push(`invalid package name ${JSON.stringify(name.slice(0, 100))}`);
    return { packages: [], problems };
  }
  const license = licenseOf(obj.license ?? obj.licenses);
  return {
    packages: [
      {
        name,
        version,
        path: '',
        dev: false,
        optional: false,
        ...(license ? { license } : {}),
        dependencies: depNames(obj.dependencies),
      },
    ],
    problems,
  };
}

/** The package name a lockfile v2/v3 `packages` key names: the part after the last `node_modules/`. */
export function nameFromLockPath(key: string): string {
  const i = key.lastIndexOf('node_modules/');
  return i < 0 ? '' : key.slice(i + 'node_modules/'.length);
}

/** A v2/v3 `link: true` entry as the package npm ls shows: the link's name, the target's version. */
function linkedPackage(
  key: string,
  entry: Record<string, unknown>,
  packages: Record<string, unknown>,
): NpmPackage | undefined {
  const name = nameFromLockPath(key);
  if (!isValidNpmName(name)) return undefined;
  // a link to nowhere (`resolved: ""` or a folder the lockfile does not hold) installs nothing
  const target = typeof entry.resolved === 'string' && entry.resolved ? packages[entry.resolved] : undefined;
  if (!target || typeof target !== 'object') return undefined;
  const t = target as Record<string, unknown>;
  const license = licenseOf(t.license);
  return {
    name,
    version: typeof t.version === 'string' ? t.version : '',
    path: key,
    dev: entry.dev === true || t.dev === true,
    optional: entry.optional === true || t.optional === true,
    ...(license ? { license } : {}),
    dependencies: [...new Set([...depNames(t.dependencies), ...depNames(t.optionalDependencies)])].sort(),
    local: true,
  };
}

/** `package-lock.json` / `npm-shrinkwrap.json`, lockfileVersion 1, 2 or 3. */
export function parsePackageLock(text: string): NpmParseResult {
  const problems: string[] = [];
  const obj = parseJsonObject(text, problems);
  if (!obj) return { packages: [], problems };
  const out: NpmPackage[] = [];
  const packages = obj.packages;
  if (packages && typeof packages === 'object' && !Array.isArray(packages)) {
    // v2/v3: a flat map keyed by install path; '' is the root project
    for (const [key, raw] of Object.entries(packages as Record<string, unknown>)) {
      if (key === '' || !raw || typeof raw !== 'object') continue;
      const entry = raw as Record<string, unknown>;
      if (entry.link === true) {
        // a symlink to a workspace member or `file:` folder: npm ls lists it by the link name, with
        // the version of the folder's own entry (keyed by its path)
        const pkg = linkedPackage(key, entry, packages as Record<string, unknown>);
        if (pkg) out.push(pkg);
        continue;
      }
      const name = typeof entry.name === 'string' ? entry.name : nameFromLockPath(key);
      // a git dependency whose package.json has no version: npm ls lists it as `name@` beside its ref
      const git = typeof entry.resolved === 'string' && GIT_SPEC.test(entry.resolved);
      const version = entry.version ?? (git ? '' : undefined);
      if (!name || typeof version !== 'string' || (!version && !git)) {
        if (key.includes('node_modules/')) problems.push(`entry ${JSON.stringify(key)} has no version`);
        continue;
      }
      const gitFlag = git ? { git: true as const } : {};
      if (!isValidNpmName(name)) {
        problems.push(`invalid package name in ${JSON.stringify(key.slice(0, 200))}`);
        continue;
      }
      const license = licenseOf(entry.license);
      out.push({
        name,
        version,
        path: key,
        // `devOptional`: dev, or optional under a production package; `npm install --omit=dev`
        // still installs it, so it is not dev-only
        dev: entry.dev === true,
        optional: entry.optional === true || entry.devOptional === true,
        ...(license ? { license } : {}),
        dependencies: [
          ...new Set([...depNames(entry.dependencies), ...depNames(entry.optionalDependencies)]),
        ].sort(),
        ...gitFlag,
      });
    }
  } else if (obj.dependencies && typeof obj.dependencies === 'object') {
    // v1: nested `dependencies` objects mirror the node_modules tree
    const stack: { deps: Record<string, unknown>; prefix: string; depth: number }[] = [
      { deps: obj.dependencies as Record<string, unknown>, prefix: '', depth: 0 },
    ];
    while (stack.length) {
      const { deps, prefix, depth } = stack.pop()!;
      if (depth > 256) {
        problems.push('dependency tree nested deeper than 256 levels');
        continue;
      }
      for (const [name, raw] of Object.entries(deps)) {
        if (!raw || typeof raw !== 'object') continue;
        const entry = raw as Record<string, unknown>;
        const path = `${prefix}node_modules/${name}`;
        const version = entry.version;
        if (typeof version !== 'string' || !version || !isValidNpmName(name)) {
          problems.push(`entry ${JSON.stringify(path.slice(0, 200))} has no usable name or version`);
          continue;
        }
        // v1 writes `file:`/`link:` specs as the version of local dependencies (their own version
        // is not recorded) and `npm:<name>@<version>` for aliases
        const local = /^(file:|link:)/.test(version);
        // a git dependency: v1 records the git spec, not the package.json version npm ls shows
        const git = GIT_SPEC.test(version);
        const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@(.+)$/.exec(version);
        out.push({
          name: alias && isValidNpmName(alias[1]!) ? alias[1]! : name,
          version: local || git ? '' : alias ? alias[2]! : version,
          path,
          dev: entry.dev === true,
          optional: entry.optional === true,
          dependencies: depNames(entry.requires),
          ...(local ? { local: true as const } : {}),
          ...(git ? { git: true as const } : {}),
        });
        if (entry.dependencies && typeof entry.dependencies === 'object') {
          stack.push({
            deps: entry.dependencies as Record<string, unknown>,
            prefix: `${path}/`,
            depth: depth + 1,
          });
        }
      }
    }
  } else {
    problems.push('neither `packages` nor `dependencies`: not an npm lockfile');
  }
  out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { packages: out, problems };
}
