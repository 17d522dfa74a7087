/**
 * `yarn.lock`: classic (v1, yarn's own indentation format) and berry (v2+, YAML with `__metadata`).
 * Every entry is a package yarn installs, with the `version` of the package.json it resolved to,
 * so every entry is listed, as bulwark lists npm lockfiles' `file:` and git packages: registry
 * packages plain, the others marked `metadata.source` (`local` for workspace, file, link, portal and
 * exec, `git`, `patch`, `url` for other tarballs). Left out: the root workspace (`workspace:.`, the
 * project itself, as the npm lockfile's root), and a classic entry with neither a `resolved` nor a
 * protocol yarn knows (yarn cannot have installed it).
 */
import {
  finishPackages,
  isRecord,
  stripBom,
  type LangPackage,
  type LangParseResult,
  cappedProblems,
  MAX_ENTRIES,
} from '../lang-types.js';
import { readYaml } from '../lang-yaml.js';
import { isValidNpmName, npmPurl } from './parse.js';

const LOCAL_RANGE = /^(?:file|link|portal|workspace|exec):/;
const GIT = /^(?:git\+[a-z]+:|git:|github:|gitlab:|bitbucket:|ssh:)|\.git(?:#|$)|#commit[=:]/;
/** A `protocol:` prefix (`unsupported:~2.0.6`), not a URL scheme yarn fetches from or a `user/repo#ref` */
const PROTOCOL = /^([a-z][a-z0-9+.-]*):/i;
const FETCHED =
  /^(?:npm|https?|git\+[a-z]+|git|github|gitlab|bitbucket|ssh|file|link|portal|workspace|patch|exec)$/i;

/**
 * Splits `name@range` (the name may be scoped: `@babel/core@^7`). A bare name (`balanced-match`,
 * which yarn 1 writes for a dependency declared with an empty range) has the range ''.
 */
export function splitSpec(spec: string): { name: string; range: string } | undefined {
  const at = spec.indexOf('@', 1);
  if (at < 0) return isValidNpmName(spec) ? { name: spec, range: '' } : undefined;
  if (at === 0) return undefined;
  return { name: spec.slice(0, at), range: spec.slice(at + 1) };
}

/** How a package reached the lockfile: undefined for the npm registry. */
function sourceOf(range: string): string | undefined {
  if (range.startsWith('npm:')) return undefined;
  if (LOCAL_RANGE.test(range)) return 'local';
  if (range.startsWith('patch:')) return 'patch';
  if (GIT.test(range) || /^[\w.-]+\/[\w.-]+(?:#|$)/.test(range)) return 'git';
  if (/^https?:/.test(range)) return 'url';
  return undefined;
}

const unquote = (s: string): string => {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
};

interface ClassicEntry {
  specs: string[];
  version?: string;
  resolved?: string;
  deps: [string, string][];
}

function readClassic(text: string): { entries: ClassicEntry[]; problems: string[] } {
  const entries: ClassicEntry[] = [];
  const problems: string[] = cappedProblems();
  let cur: ClassicEntry | undefined;
  let inDeps = false;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      if (!line.endsWith(':')) {
        problems.push(`line ${n + 1}: expected a package key`);
        cur = undefined;
        continue;
      }
      if (entries.length >= MAX_ENTRIES) {
        problems.push(`more than ${MAX_ENTRIES} entries: the rest is not read`);
        break;
      }
      cur = { specs: line.slice(0, -1).split(',').map(unquote).filter(Boolean), deps: [] };
      entries.push(cur);
      inDeps = false;
      continue;
    }
    if (!cur) continue;
    const body = line.trim();
    if (indent === 2) {
      inDeps = body === 'dependencies:' || body === 'optionalDependencies:';
      const m = /^"?(version|resolved)"?\s+(.+)$/.exec(body);
      if (m) cur[m[1] as 'version' | 'resolved'] = unquote(m[2]!);
    } else if (indent >= 4 && inDeps) {
      // `name "range"`, the name quoted when scoped
      const m = /^("[^"]+"|\S+)\s+(.+)$/.exec(body);
      if (m) cur.deps.push([unquote(m[1]!), unquote(m[2]!)]);
    }
  }
  return { entries, problems };
}

function parseClassic(text: string): LangParseResult {
  const { entries, problems } = readClassic(text);
  const bySpec = new Map<string, string>();
  const resolved: { entry: ClassicEntry; name: string; version: string; source?: string }[] = [];
  for (const entry of entries) {
    const first = entry.specs[0] && splitSpec(entry.specs[0]);
    if (!first) {
      problems.push(`entry ${JSON.stringify(entry.specs.join(', ').slice(0, 200))} has no name`);
      continue;
    }
    const protocol = PROTOCOL.exec(first.range)?.[1];
    if (protocol && !FETCHED.test(protocol) && !entry.resolved) {
      problems.push(
        `entry ${JSON.stringify(entry.specs[0]!.slice(0, 200))}: unknown protocol ${JSON.stringify(protocol.slice(0, 50))} and nothing resolved`,
      );
      continue;
    }
    // `alias@npm:real@^1`: the package installed is `real`
    const alias = first.range.startsWith('npm:') ? splitSpec(first.range.slice(4)) : undefined;
    const name = alias?.name ?? first.name;
    if (!entry.version || !isValidNpmName(name)) {
      problems.push(`entry ${JSON.stringify(entry.specs[0]!.slice(0, 200))} has no usable name or version`);
      continue;
    }
    const purl = npmPurl(name, entry.version);
    for (const s of entry.specs) bySpec.set(s, purl);
    const source = sourceOf(first.range) ?? (entry.resolved && GIT.test(entry.resolved) ? 'git' : undefined);
    resolved.push({ entry, name, version: entry.version, source });
  }
  const packages: LangPackage[] = resolved.map(({ entry, name, version, source }) => {
    const deps = entry.deps.map(([n, r]) => bySpec.get(`${n}@${r}`)).filter((x): x is string => !!x);
    return {
      name,
      version,
      purl: npmPurl(name, version),
      ...(source ? { metadata: { source } } : {}),
      ...(deps.length ? { dependsOn: [...new Set(deps)].sort() } : {}),
    };
  });
  return { packages: finishPackages(packages), problems };
}

function parseBerry(doc: Record<string, unknown>): LangParseResult {
  const problems: string[] = cappedProblems();
  const bySpec = new Map<string, string>();
  const found: {
    name: string;
    version: string;
    purl: string;
    source?: string;
    deps: Record<string, unknown>;
  }[] = [];
  for (const [key, raw] of Object.entries(doc)) {
    if (key === '__metadata') continue;
    if (!isRecord(raw)) {
      problems.push(`entry ${JSON.stringify(key.slice(0, 200))} is not a mapping`);
      continue;
    }
    const resolution = typeof raw.resolution === 'string' ? splitSpec(raw.resolution) : undefined;
    if (!resolution) {
      problems.push(`entry ${JSON.stringify(key.slice(0, 200))} has no resolution`);
      continue;
    }
    if (resolution.range === 'workspace:.') continue; // the project itself
    const version = typeof raw.version === 'string' ? raw.version : String(raw.version ?? '');
    if (!version || !isValidNpmName(resolution.name)) {
      problems.push(`entry ${JSON.stringify(key.slice(0, 200))} has no usable name or version`);
      continue;
    }
    const purl = npmPurl(resolution.name, version);
    for (const s of key.split(',')) bySpec.set(s.trim(), purl);
    const deps = {
      ...(isRecord(raw.dependencies) ? raw.dependencies : {}),
      ...(isRecord(raw.optionalDependencies) ? raw.optionalDependencies : {}),
    };
    found.push({ name: resolution.name, version, purl, source: sourceOf(resolution.range), deps });
  }
  // a patched package keeps its registry entry's identity (the same purl): registry entries first
  found.sort((a, b) => Number(a.source !== undefined) - Number(b.source !== undefined));
  const packages: LangPackage[] = found.map(({ name, version, purl, source, deps }) => {
    const out = new Set<string>();
    for (const [n, r] of Object.entries(deps)) {
      const range = String(r);
      const hit = bySpec.get(`${n}@${range}`) ?? bySpec.get(`${n}@npm:${range}`);
      if (hit) out.add(hit);
    }
    return {
      name,
      version,
      purl,
      ...(source ? { metadata: { source } } : {}),
      ...(out.size ? { dependsOn: [...out].sort() } : {}),
    };
  });
  return { packages: finishPackages(packages), problems };
}

/** True when the text is a berry (YAML) lockfile rather than a classic one. */
export function isBerryLock(text: string): boolean {
  return /^__metadata:/m.test(text);
}

export function parseYarnLock(input: string): LangParseResult {
  const text = stripBom(input);
  if (!isBerryLock(text)) return parseClassic(text);
  const problems: string[] = cappedProblems();
  const doc = readYaml(text, problems);
  if (problems.length) return { packages: [], problems };
  if (!isRecord(doc)) return { packages: [], problems: ['not a yarn lockfile'] };
  return parseBerry(doc);
}
