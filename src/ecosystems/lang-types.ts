/**
 * What a language lockfile or installed-metadata parser returns. Parsers are pure functions over
 * text: malformed input yields `problems`, never exceptions, so one bad file costs only itself.
 */
export interface LangPackage {
  /** name as the file writes it (display); matching normalises it per ecosystem */
  name: string;
  version: string;
  purl: string;
  /** only needed to develop or test the project (lockfile dev groups) */
  dev?: boolean;
  licenses?: string[];
  /** purls of the packages this one depends on, resolved within the same file, sorted */
  dependsOn?: string[];
  metadata?: Record<string, string | number | boolean>;
}

export interface LangParseResult {
  packages: LangPackage[];
  problems: string[];
}

/** Sorts by purl and drops exact duplicates (the same package locked under several specs). */
export function finishPackages(packages: LangPackage[]): LangPackage[] {
  const byPurl = new Map<string, LangPackage>();
  for (const p of packages) {
    const seen = byPurl.get(p.purl);
    if (!seen) {
      byPurl.set(p.purl, p);
      continue;
    }
    // a package reachable from production code is not dev-only, whichever entry said otherwise
    if (seen.dev && !p.dev) delete seen.dev;
    if (p.dependsOn?.length)
      seen.dependsOn = [...new Set([...(seen.dependsOn ?? []), ...p.dependsOn])].sort();
  }
  return [...byPurl.values()].sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}

/** Strips a UTF-8 byte order mark, which editors on Windows like to write. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Problems kept per file: a hostile file must not turn into millions of warnings. */
export const MAX_PROBLEMS = 50;
/** Entries read per file; real lockfiles hold tens of thousands at most. */
export const MAX_ENTRIES = 200_000;

/**
 * A problem list that keeps the first MAX_PROBLEMS messages and then says once that it dropped the
 * rest. It stays a plain array (the cap lives in a non-enumerable own `push`), so callers and
 * tests see an ordinary `string[]`.
 */
export function cappedProblems(): string[] {
  const list: string[] = [];
  let dropped = 0;
  Object.defineProperty(list, 'push', {
    enumerable: false,
    value: (...items: string[]): number => {
      for (const item of items) {
        if (list.length < MAX_PROBLEMS) Array.prototype.push.call(list, item);
        else if (++dropped === 1)
          Array.prototype.push.call(list, 'further problems in this file not reported');
      }
      return list.length;
    },
  });
  return list;
}

/** One direct dependency a project manifest declares. */
export interface ManifestDep {
  /** the package's own name as its lockfile writes it (aliases and renames resolved) */
  name: string;
  /** version requirement as written (`^1.2`, `1.2`, `~> 3.0`); '' when none */
  req: string;
  /** a local dependency: folder relative to the manifest's own folder (`file:`, `path =`) */
  path?: string;
  /** a reference to a workspace member by name (`workspace:*`) */
  workspace?: boolean;
}

/**
 * A project manifest's direct dependencies, split the way its tool splits them for a production
 * install: `dev` holds what only development needs (`devDependencies`, `[dev-dependencies]`,
 * Gemfile `:development`/`:test` groups). `complete: false` says the manifest could not be read
 * statically (a Gemfile with conditionals, `gemspec`), so nothing may be concluded from it.
 */
export interface ManifestRoots {
  name?: string;
  prod: ManifestDep[];
  dev: ManifestDep[];
  /** workspace member folders as globs relative to the manifest's folder (`packages/*`) */
  workspaces: string[];
  /** workspace folders excluded again (`!packages/legacy`, Cargo `exclude`) */
  excluded: string[];
  complete: boolean;
}
